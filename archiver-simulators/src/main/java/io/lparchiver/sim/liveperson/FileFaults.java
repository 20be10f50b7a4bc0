package io.lparchiver.sim.liveperson;

/**
 * Faults of the file download path (websocket signing and the swift host).
 *
 * @param expireFirstUrl the first temp URL signed for each file is already expired when issued (as
 *     if the client waited past the minute), so swift refuses it with 401 and the client must ask
 *     for a new one
 * @param goneFiles the first {@code n} hosted files of the data set are removed by RTBF before the
 *     simulator starts: signing still works, swift answers 404
 */
public record FileFaults(boolean expireFirstUrl, int goneFiles) {

  public FileFaults {
    if (goneFiles < 0) {
      throw new IllegalArgumentException("goneFiles must not be negative");
    }
  }

  public static FileFaults none() {
    return new FileFaults(false, 0);
  }
}
