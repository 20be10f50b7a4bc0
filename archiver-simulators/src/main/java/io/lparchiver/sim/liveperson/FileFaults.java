package io.lparchiver.sim.liveperson;

import java.time.Duration;

/**
 * Faults of the file download path (websocket signing and the swift host).
 *
 * @param expireFirstUrl the first temp URL signed for each file is already expired when issued (as
 *     if the client waited past the minute), so swift refuses it with 401 and the client must ask
 *     for a new one
 * @param goneFiles the first {@code n} hosted files of the data set are removed by RTBF before the
 *     simulator starts: signing still works, swift answers 404
 * @param stalledDownloads the first {@code n} downloads send their headers and half the file, then
 *     nothing for {@code stallFor}, then the connection is cut
 * @param stallFor how long a stalled download is held
 * @param unavailableDownloads the first {@code n} requests for a file that exists are answered 503
 *     Service Unavailable with a short body, as swift does when its proxies are overloaded
 * @param trickledDownloads the first {@code n} downloads send their body 1 KB at a time, a piece
 *     every 100 ms: never a pause long enough for a read timeout, yet slow as a whole
 */
public record FileFaults(
    boolean expireFirstUrl,
    int goneFiles,
    int stalledDownloads,
    Duration stallFor,
    int unavailableDownloads,
    int trickledDownloads) {

  public FileFaults {
    if (goneFiles < 0
        || stalledDownloads < 0
        || unavailableDownloads < 0
        || trickledDownloads < 0) {
      throw new IllegalArgumentException("file fault counts must not be negative");
    }
  }

  /** No stalled downloads. */
  public FileFaults(boolean expireFirstUrl, int goneFiles) {
    this(expireFirstUrl, goneFiles, 0, Duration.ZERO, 0, 0);
  }

  public static FileFaults none() {
    return new FileFaults(false, 0);
  }

  /** The same faults, plus {@code n} downloads held for {@code hold} after half the file. */
  public FileFaults withStalls(int n, Duration hold) {
    return new FileFaults(
        expireFirstUrl, goneFiles, n, hold, unavailableDownloads, trickledDownloads);
  }

  /** The same faults, plus {@code n} requests answered 503 before files are served. */
  public FileFaults withUnavailable(int n) {
    return new FileFaults(
        expireFirstUrl, goneFiles, stalledDownloads, stallFor, n, trickledDownloads);
  }

  /** The same faults, plus {@code n} downloads whose body trickles in. */
  public FileFaults withTrickles(int n) {
    return new FileFaults(
        expireFirstUrl, goneFiles, stalledDownloads, stallFor, unavailableDownloads, n);
  }
}
