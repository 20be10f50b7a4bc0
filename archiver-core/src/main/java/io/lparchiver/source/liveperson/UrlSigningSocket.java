package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.source.SourceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent messaging websocket ({@code asyncMessagingEnt}) used for one thing: {@code
 * ms.GenerateURLForDownloadFile}, which turns a file's {@code relativePath} into a swift temp URL
 * valid for about a minute. Requests carry an increasing {@code id}; each answer is matched by its
 * {@code reqId}, so a late answer to an abandoned request is never taken for the current one.
 *
 * <p>Connects on first use with the Login Service bearer (in the URL path, as LivePerson requires;
 * never logged). A refused handshake logs in again once. Thread-safe: the lanes' requests are in
 * flight together on the one connection, each waiting for its own answer; only their sends take
 * turns (the JDK's websocket takes one at a time). Taking turns for the whole round trip made every
 * lane with a file wait for the others' answers, one network round trip each.
 */
final class UrlSigningSocket implements AutoCloseable {

  /** A signed download URL and the instant it stops working. */
  record SignedUrl(URI uri, Instant expires) {
    @Override
    public String toString() {
      return "SignedUrl[expires " + expires + "]"; // the signature is a credential
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(UrlSigningSocket.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * LivePerson answers a signing request in well under a second. An answer that has not come by
   * then is taken as lost: the socket is reopened and the request sent again (bounded), rather than
   * holding the run for the full HTTP request timeout.
   */
  static final java.time.Duration ANSWER_TIMEOUT = java.time.Duration.ofSeconds(10);

  private final String account;
  private final DomainApi domains;
  private final HttpClient http;
  private final LoginSession login;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final AtomicLong nextId = new AtomicLong();
  private final Object connecting = new Object(); // guards current: one opens, the others wait
  private Connection current; // guarded by connecting

  /** One websocket and the requests waiting for an answer on it. */
  private static final class Connection {
    final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    WebSocket ws; // set once the handshake is done, before the connection is shared

    boolean isOpen() {
      return !ws.isOutputClosed() && !ws.isInputClosed();
    }

    /** Ends the requests still waiting here: they are sent again on a new connection. */
    void failPending(Throwable why) {
      pending.values().forEach(f -> f.completeExceptionally(why));
    }
  }

  UrlSigningSocket(
      String account,
      DomainApi domains,
      HttpClient http,
      LoginSession login,
      RetryPolicy policy,
      Sleeper sleeper) {
    this.account = account;
    this.domains = domains;
    this.http = http;
    this.login = login;
    this.policy = policy;
    this.sleeper = sleeper;
  }

  /** Signs a path; retries dropped connections and timeouts, bounded by the retry policy. */
  SignedUrl sign(String relativePath) throws InterruptedException {
    String failure = "";
    boolean reloggedIn = false;
    for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
      Connection connection = connection();
      JsonNode resp;
      try {
        resp = request(connection, relativePath);
      } catch (IOException | TimeoutException e) {
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        drop(connection);
        retryLater(relativePath, failure, attempt);
        continue;
      }
      int code = resp.path("code").asInt(resp.path("code").asText().equals("OK") ? 200 : 0);
      if (code == 200) {
        return signed(relativePath, resp.path("body"));
      }
      String body = resp.path("body").isTextual() ? resp.path("body").asText() : "";
      if (code == 401 && !reloggedIn) {
        reloggedIn = true;
        login.invalidate();
        drop(connection);
        continue;
      }
      if (code == 401 || code == 403) {
        throw new SourceException(
            SourceException.Kind.AUTHENTICATION,
            "LivePerson refused to sign the download of "
                + relativePath
                + " (code "
                + code
                + (body.isEmpty() ? "" : ", \"" + body + "\"")
                + "): the user in source.liveperson.files.login.username needs access to the"
                + " conversation's skill (a manager or bot user with all skills)");
      }
      failure = "code " + code + (body.isEmpty() ? "" : " " + body);
      retryLater(relativePath, failure, attempt);
    }
    throw new SourceException(
        SourceException.Kind.RETRIES_EXHAUSTED,
        "cannot get a download URL for "
            + relativePath
            + " from the LivePerson messaging websocket after "
            + policy.maxAttempts()
            + " attempts: "
            + failure);
  }

  /** Says why a signing is tried again (the failure never holds the bearer), then waits. */
  private void retryLater(String relativePath, String failure, int attempt)
      throws InterruptedException {
    if (attempt < policy.maxAttempts()) {
      java.time.Duration wait = policy.backoff(attempt);
      LOG.warn(
          "LivePerson messaging websocket, signing {}: {}; retry {} of {} in {} ms",
          relativePath,
          failure,
          attempt,
          policy.maxAttempts() - 1,
          wait.toMillis());
      sleeper.sleep(wait);
    }
  }

  /** Opens the connection now (for {@code check}). */
  void connect() throws InterruptedException {
    connection();
  }

  private JsonNode request(Connection connection, String relativePath)
      throws IOException, TimeoutException, InterruptedException {
    String id = Long.toString(nextId.incrementAndGet());
    ObjectNode req = JSON.createObjectNode();
    req.put("kind", "req");
    req.put("id", id);
    req.put("type", "ms.GenerateURLForDownloadFile");
    req.putObject("body").put("relativePath", relativePath);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    connection.pending.put(id, answer);
    try {
      synchronized (connection) { // one send at a time; the answers are awaited side by side
        connection
            .ws
            .sendText(req.toString(), true)
            .get(policy.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      long wait = Math.min(policy.requestTimeout().toMillis(), ANSWER_TIMEOUT.toMillis());
      return answer.get(wait, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("messaging websocket failed: " + e.getCause().getMessage(), e);
    } finally {
      connection.pending.remove(id);
    }
  }

  private SignedUrl signed(String relativePath, JsonNode body) {
    JsonNode q = body.path("queryParams");
    String sig = q.path("temp_url_sig").asText("");
    String expires = q.path("temp_url_expires").asText("");
    long expiresSeconds;
    try {
      expiresSeconds = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw new SourceException(
          SourceException.Kind.BAD_REQUEST,
          "LivePerson signed " + relativePath + " without a usable temp_url_expires");
    }
    String path = body.path("relativePath").asText(relativePath);
    URI uri =
        URI.create(
            domains.baseUri("swift")
                + encodePath(path)
                + "?temp_url_sig="
                + Rfc3986.encode(sig)
                + "&temp_url_expires="
                + Rfc3986.encode(expires));
    return new SignedUrl(uri, Instant.ofEpochSecond(expiresSeconds));
  }

  /** Each segment percent-encoded: a path from a record must not add a query or a host. */
  static String encodePath(String path) {
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (out.length() > 0 || path.startsWith("/")) {
        out.append('/');
      }
      out.append(Rfc3986.encode(segment));
    }
    String encoded = out.toString();
    return encoded.startsWith("//") ? encoded.substring(1) : encoded;
  }

  /** The open connection, opened (by one thread while the others wait) when there is none. */
  private Connection connection() throws InterruptedException {
    synchronized (connecting) {
      if (current == null || !current.isOpen()) {
        current = open();
      }
      return current;
    }
  }

  private Connection open() throws InterruptedException {
    for (int round = 1; ; round++) {
      String bearer = login.bearer();
      URI base = domains.baseUri("asyncMessagingEnt");
      String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
      URI uri =
          URI.create(
              scheme
                  + "://"
                  + base.getRawAuthority()
                  + "/ws_api/account/"
                  + account
                  + "/messaging/brand/"
                  + Rfc3986.encode(bearer)
                  + "?v=2");
      Connection opened = new Connection();
      try {
        opened.ws =
            http.newWebSocketBuilder()
                .connectTimeout(policy.connectTimeout())
                .buildAsync(uri, new Listener(opened))
                .get(policy.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return opened;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof WebSocketHandshakeException h) {
          login.invalidate();
          if (round < 2) {
            continue; // the session may have ended: one new login
          }
          throw new SourceException(
              SourceException.Kind.AUTHENTICATION,
              "the LivePerson messaging websocket refused the bearer of a fresh login (HTTP "
                  + h.getResponse().statusCode()
                  + "): check that the user in source.liveperson.files.login.username may use"
                  + " the agent messaging API");
        }
        throw new SourceException(
            SourceException.Kind.RETRIES_EXHAUSTED,
            "cannot open the LivePerson messaging websocket: " + e.getCause().getMessage());
      } catch (TimeoutException e) {
        throw new SourceException(
            SourceException.Kind.RETRIES_EXHAUSTED,
            "the LivePerson messaging websocket did not open within "
                + policy.requestTimeout().toSeconds()
                + " s");
      }
    }
  }

  /**
   * Gives up a connection that lost an answer or whose session ended: the requests still waiting on
   * it fail at once and are sent again on a new one, rather than each waiting out its timeout.
   */
  private void drop(Connection connection) {
    synchronized (connecting) {
      if (current == connection) {
        current = null;
      }
    }
    connection.ws.abort();
    connection.failPending(new IOException("the connection was given up"));
  }

  @Override
  public void close() {
    Connection closing;
    synchronized (connecting) {
      closing = current;
      current = null;
    }
    if (closing != null) {
      closing.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
      closing.ws.abort();
      closing.failPending(new IOException("closed"));
    }
  }

  /** Collects frames into messages and completes the request each answer names. */
  private static final class Listener implements WebSocket.Listener {
    private final Connection connection;
    private final StringBuilder text = new StringBuilder();

    Listener(Connection connection) {
      this.connection = connection;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        try {
          JsonNode node = JSON.readTree(message);
          if (node != null && "resp".equals(node.path("kind").asText())) {
            CompletableFuture<JsonNode> f = connection.pending.get(node.path("reqId").asText());
            if (f != null) {
              f.complete(node);
            }
          }
        } catch (IOException e) {
          // not JSON: not an answer to us; the request times out and is retried
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      connection.failPending(new IOException("closed"));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      connection.failPending(error);
    }
  }
}
