package io.lparchiver.source.liveperson;

import io.lparchiver.model.FileReference;
import io.lparchiver.model.Sha256;
import io.lparchiver.model.SharedFile;
import io.lparchiver.source.FileAdmission;
import io.lparchiver.source.FileFetcher;
import io.lparchiver.source.SourceException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * Downloads LivePerson-hosted files: sign the {@code relativePath} over the messaging websocket,
 * then GET the temp URL from swift before it expires (about a minute). A URL that has already
 * expired, or that swift refuses with 401/403, is signed once more; 429, 5xx and I/O errors are
 * retried with backoff, bounded by the retry policy. 404 means LivePerson no longer holds the file
 * (RTBF): that is an answer, not an error.
 *
 * <p>Each file is read once, into a buffer sized by Content-Length, by the lane that asked for it:
 * the GET is a blocking {@link HttpURLConnection} on the lane's thread rather than a request of the
 * JDK's asynchronous {@link HttpClient}, whose selector and worker threads hand every 16 KB of a
 * body from thread to thread; with megabytes of files per conversation that took about a tenth of a
 * sync's CPU (ADR 0008). Thread-safe: the lanes' signing requests share the one websocket ({@link
 * UrlSigningSocket}), the login session is synchronized, and the downloads themselves run side by
 * side (the JDK keeps up to {@code http.maxConnections}, 5 by default, idle connections per host).
 */
public final class HostedFileFetcher implements FileFetcher {

  /** Above every target's limit (Graph: 150 MB): a larger file could not be delivered anyway. */
  public static final long MAX_FILE_BYTES = 150L * 1024 * 1024;

  private static final Map<String, String> TYPES =
      Map.of(
          "PNG", "image/png",
          "JPG", "image/jpeg",
          "JPEG", "image/jpeg",
          "GIF", "image/gif",
          "PDF", "application/pdf",
          "TXT", "text/plain");

  private final LoginSession login;
  private final UrlSigningSocket signer;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final Clock clock;

  private HostedFileFetcher(
      LoginSession login,
      UrlSigningSocket signer,
      RetryPolicy policy,
      Sleeper sleeper,
      Clock clock) {
    this.login = login;
    this.signer = signer;
    this.policy = policy;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** A fetcher sharing the client's Domain API lookups. */
  public static HostedFileFetcher create(
      LivePersonClient client, FileDownloadSettings files, Clock clock) {
    return create(client, files, clock, Sleeper.system());
  }

  /** With an injected sleeper, so tests retry without waiting. */
  public static HostedFileFetcher create(
      LivePersonClient client, FileDownloadSettings files, Clock clock, Sleeper sleeper) {
    RetryPolicy policy = client.settings().retryPolicy();
    String account = client.settings().account();
    LoginSession login =
        new LoginSession(
            account, client.domainApi(), httpClient(policy), files, policy, sleeper, clock);
    // the websocket gets a client of its own: a login never shares its selector or executor
    UrlSigningSocket signer =
        new UrlSigningSocket(
            account, client.domainApi(), httpClient(policy), login, policy, sleeper);
    return new HostedFileFetcher(login, signer, policy, sleeper, clock);
  }

  private static HttpClient httpClient(RetryPolicy policy) {
    return HttpClient.newBuilder()
        .connectTimeout(policy.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /**
   * Swift starts answering at once, and sends a body without pauses: a GET whose headers, or whose
   * next bytes, have not come by then is retried (bounded) on a fresh request instead of waiting
   * for the full request timeout.
   */
  static final java.time.Duration HEADERS_TIMEOUT = java.time.Duration.ofSeconds(30);

  @Override
  public SharedFile fetch(FileReference file, FileAdmission admission) throws InterruptedException {
    String path =
        file.relativePath()
            .filter(p -> !p.isBlank())
            .orElseThrow(() -> new IllegalArgumentException("not a hosted file: " + file));
    String name = SharedFile.nameOf(path);
    boolean resigned = false;
    String failure = "";
    for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
      UrlSigningSocket.SignedUrl url = signer.sign(path);
      if (!url.expires().isAfter(clock.instant()) && !resigned) {
        resigned = true; // issued already expired (slow answer or skewed clock): once more
        url = signer.sign(path);
      }
      HttpURLConnection get;
      int status;
      try {
        get = open(url.uri());
        status = get.getResponseCode();
      } catch (SocketTimeoutException e) {
        failure = "no answer within " + headersTimeout().toMillis() + " ms";
        backoff(attempt);
        continue;
      } catch (IOException e) {
        failure = "I/O error: " + e.getMessage();
        backoff(attempt);
        continue;
      }
      if (status == 200) {
        admit(admission, path, get);
      }
      // a blocked read ends only by its own timeout (closing the connection from another thread
      // waits for it), so the whole body's deadline, source.liveperson.retry.timeout counted from
      // the headers, is checked between reads: a body that trickles in is abandoned at most one
      // read timeout after it
      long deadline = System.nanoTime() + policy.requestTimeout().toNanos();
      try (InputStream body = status == 200 ? get.getInputStream() : get.getErrorStream()) {
        if (status == 200) {
          return read(
              path,
              name,
              contentType(get.getContentType(), file),
              get.getContentLengthLong(),
              new DeadlineStream(body, deadline));
        }
        if (body != null) {
          body.readNBytes(4096); // drain a little so the connection can be reused
        } else {
          get.disconnect(); // an answer without an error body (3xx, 204): nothing to reuse
        }
      } catch (SocketTimeoutException e) {
        get.disconnect(); // a connection in the middle of a body is not reused
        failure = timedOut();
        backoff(attempt);
        continue;
      } catch (IOException e) {
        failure = "I/O error reading " + path + ": " + e.getMessage();
        backoff(attempt);
        continue;
      }
      if (status == 404 || status == 410) {
        return new SharedFile.Unavailable(
            path,
            name,
            "LivePerson no longer holds this file (swift answered HTTP "
                + status
                + "; removed by a Personal Data Deletion request or by retention)");
      }
      if ((status == 401 || status == 403) && !resigned) {
        resigned = true; // expired before we got there: sign again, once
        continue;
      }
      if (status == 401 || status == 403) {
        throw new SourceException(
            SourceException.Kind.RETRIES_EXHAUSTED,
            "swift refused a freshly signed URL for "
                + path
                + " (HTTP "
                + status
                + "); is this machine's clock right? The conversation is kept and tried again");
      }
      failure = "HTTP " + status;
      backoff(attempt);
    }
    throw new SourceException(
        SourceException.Kind.RETRIES_EXHAUSTED,
        "cannot download "
            + path
            + " after "
            + policy.maxAttempts()
            + " attempts: "
            + failure
            + "; the conversation is kept and tried again");
  }

  /**
   * A GET of {@code uri}: no redirects, the policy's connect timeout, the headers' read timeout.
   */
  private HttpURLConnection open(URI uri) throws IOException {
    HttpURLConnection get = (HttpURLConnection) uri.toURL().openConnection();
    get.setInstanceFollowRedirects(false);
    get.setConnectTimeout(Math.toIntExact(policy.connectTimeout().toMillis()));
    get.setReadTimeout(Math.toIntExact(headersTimeout().toMillis()));
    get.setUseCaches(false);
    return get;
  }

  /** How long a GET waits for its headers or its next bytes. */
  private java.time.Duration headersTimeout() {
    return policy.requestTimeout().compareTo(HEADERS_TIMEOUT) < 0
        ? policy.requestTimeout()
        : HEADERS_TIMEOUT;
  }

  /** Waits, if the admission says so, before the body is read; the body is closed if that fails. */
  private static void admit(FileAdmission admission, String path, HttpURLConnection get)
      throws InterruptedException {
    long declared = get.getContentLengthLong();
    try {
      admission.admit(path, declared < 0 ? MAX_FILE_BYTES : Math.min(declared, MAX_FILE_BYTES));
    } catch (InterruptedException | RuntimeException e) {
      get.disconnect();
      throw e;
    }
  }

  private String timedOut() {
    return "no complete answer within "
        + policy.requestTimeout().toMillis()
        + " ms (source.liveperson.retry.timeout)";
  }

  private void backoff(int attempt) throws InterruptedException {
    if (attempt < policy.maxAttempts()) {
      sleeper.sleep(policy.backoff(attempt));
    }
  }

  private static SharedFile read(
      String path, String name, String type, long declared, InputStream body) throws IOException {
    if (declared > MAX_FILE_BYTES) {
      throw tooLarge(path, declared);
    }
    byte[] bytes = declared >= 0 ? readDeclared(body, (int) declared) : readUndeclared(path, body);
    return new SharedFile.Downloaded(path, name, type, bytes, Sha256.of(bytes));
  }

  /**
   * Straight into an array of the declared size: a file of megabytes is allocated once, not grown
   * and then copied (each a humongous object for G1 at the heaps lp-archiver runs in).
   */
  private static byte[] readDeclared(InputStream body, int declared) throws IOException {
    byte[] bytes = new byte[declared];
    int total = 0;
    for (int n; total < declared && (n = body.read(bytes, total, declared - total)) != -1; ) {
      total += n;
    }
    if (total != declared) {
      throw new IOException("got " + total + " of " + declared + " bytes");
    }
    if (body.read() != -1) {
      throw new IOException(
          "more than the " + declared + " bytes declared"); // the caller names the file
    }
    return bytes;
  }

  private static byte[] readUndeclared(String path, InputStream body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = body.read(chunk)) != -1; ) {
      total += n;
      if (total > MAX_FILE_BYTES) {
        throw tooLarge(path, total);
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  private static SourceException tooLarge(String path, long bytes) {
    return new SourceException(
        SourceException.Kind.BAD_REQUEST,
        path + " is " + bytes + " bytes, over the " + MAX_FILE_BYTES + " bytes lp-archiver takes");
  }

  /** A body that throws {@link SocketTimeoutException} once a read ends past its deadline. */
  private static final class DeadlineStream extends FilterInputStream {
    private final long deadline;

    DeadlineStream(InputStream in, long deadline) {
      super(in);
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      check(b < 0);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      check(n < 0);
      return n;
    }

    private void check(boolean ended) throws SocketTimeoutException {
      if (!ended && System.nanoTime() - deadline > 0) {
        throw new SocketTimeoutException("body still arriving at its deadline");
      }
    }
  }

  /** Swift's type when it gives a specific one, else the record's fileType. */
  static String contentType(String header, FileReference file) {
    String served = header == null ? "" : header.split(";", 2)[0].strip();
    if (!served.isEmpty() && !served.equalsIgnoreCase("application/octet-stream")) {
      return served.toLowerCase(Locale.ROOT);
    }
    return TYPES.getOrDefault(file.fileType().toUpperCase(Locale.ROOT), "application/octet-stream");
  }

  @Override
  public void checkAccess() throws InterruptedException {
    login.bearer();
    signer.connect();
  }

  @Override
  public void close() {
    signer.close();
  }
}
