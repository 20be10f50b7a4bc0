package io.lparchiver.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lparchiver.app.LogCsv;
import io.lparchiver.config.ConfigException;
import io.lparchiver.config.Secret;
import io.lparchiver.state.DailyActivity;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.StateStore;
import io.lparchiver.state.UnmappedParticipant;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status web server of {@code run} on the JDK's HTTP server: {@code /} (page), {@code
 * /api/status}, {@code /metrics}, {@code /healthz}, {@code /readyz}, {@code /log.csv} and {@code
 * POST /retry}. Reads go to a read-only state store beside the sync's writer.
 */
public final class StatusServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_FORM_BYTES = 8192;
  public static final String TOKEN_HEADER = "X-Archiver-Token";

  private final HttpServer server;
  private final ExecutorService executor;
  private final StatusReader reader;
  private final StateStore state;
  private final ArchiverMetrics metrics;
  private final Optional<Secret> token;
  private final IntSupplier retry;
  private final String folder;

  private StatusServer(
      InetSocketAddress address,
      StatusReader reader,
      StateStore state,
      ArchiverMetrics metrics,
      Optional<Secret> token,
      IntSupplier retry,
      String folder)
      throws IOException {
    this.reader = reader;
    this.state = state;
    this.metrics = metrics;
    this.token = token;
    this.retry = retry;
    this.folder = folder;
    this.server = HttpServer.create(address, 16);
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "status-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::route);
  }

  /**
   * Starts the server.
   *
   * @param bind {@code host:port}; port 0 picks a free one
   * @param retry queues the open dead letters for the next run and returns how many
   * @throws ConfigException when the bind is not loopback and no token is set, or is unusable
   */
  public static StatusServer start(
      String bind,
      Optional<Secret> token,
      StatusReader reader,
      StateStore state,
      ArchiverMetrics metrics,
      IntSupplier retry,
      String folder) {
    InetSocketAddress address = address(bind, token);
    try {
      StatusServer s = new StatusServer(address, reader, state, metrics, token, retry, folder);
      s.server.start();
      log.info("Status page on http://{}/", s.hostAndPort());
      return s;
    } catch (IOException e) {
      throw new ConfigException(
          "server.bind: cannot listen on " + bind + " (" + e.getMessage() + "): pick a free port");
    }
  }

  /** Parses {@code host:port} and refuses a non-loopback address without a token. */
  static InetSocketAddress address(String bind, Optional<Secret> token) {
    int colon = bind.lastIndexOf(':');
    if (colon <= 0) {
      throw new ConfigException(
          "server.bind: '" + bind + "' is not host:port, e.g. 127.0.0.1:8080");
    }
    String host = bind.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(bind.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException("server.bind: port of '" + bind + "' is not a number");
    }
    InetAddress ip;
    try {
      ip = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ConfigException("server.bind: unknown host '" + host + "'");
    }
    if (!ip.isLoopbackAddress() && token.filter(t -> !t.isBlank()).isEmpty()) {
      throw new ConfigException(
          "server.bind: "
              + bind
              + " is reachable from other machines; set server.token (e.g. ${STATUS_TOKEN})"
              + " or bind 127.0.0.1");
    }
    return new InetSocketAddress(ip, port);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String hostAndPort() {
    return server.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }

  private void route(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if ("/retry".equals(path)) {
        if (!"POST".equals(method)) {
          send(ex, 405, "text/plain", "use POST\n");
        } else {
          retry(ex);
        }
        return;
      }
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        send(ex, 405, "text/plain", "use GET\n");
        return;
      }
      switch (path) {
        case "/" -> send(ex, 200, "text/html", StatusPage.render(reader.read(), token.isPresent()));
        case "/api/status" -> send(ex, 200, "application/json", json(reader.read()));
        case "/metrics" -> send(ex, 200, "text/plain; version=0.0.4", metrics.scrape());
        case "/healthz" -> send(ex, 200, "text/plain", "ok\n");
        case "/readyz" -> ready(ex);
        case "/log.csv" -> logCsv(ex);
        default -> send(ex, 404, "text/plain", "not found\n");
      }
    } catch (RuntimeException e) {
      log.warn("Status page request failed: {}", e.toString());
      try {
        send(ex, 500, "text/plain", "internal error; see the service log\n");
      } catch (IOException | RuntimeException ignored) {
        // headers were already sent: the client sees a cut-off answer
      }
    }
  }

  private void ready(HttpExchange ex) throws IOException {
    Health h;
    try {
      h = reader.read().health();
    } catch (RuntimeException e) {
      send(ex, 503, "text/plain", "state database not readable\n");
      return;
    }
    boolean ok = h.level() != Health.Level.FAILING;
    send(
        ex,
        ok ? 200 : 503,
        "text/plain",
        (ok ? "ready: " : "not ready: ") + h.level().label() + "\n");
  }

  private void retry(HttpExchange ex) throws IOException {
    if (token.isEmpty()) {
      send(ex, 403, "text/plain", "retry is off: set server.token to enable it\n");
      return;
    }
    String given = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
    if (given == null) {
      given = formField(ex.getRequestBody(), "token").orElse("");
    }
    if (!constantTimeEquals(given, token.get().reveal())) {
      send(ex, 403, "text/plain", "wrong or missing token\n");
      return;
    }
    int queued = retry.getAsInt();
    log.info("Retry requested from the status page: {} dead letters queued", queued);
    String accept = Optional.ofNullable(ex.getRequestHeaders().getFirst("Accept")).orElse("");
    if (accept.contains("text/html")) {
      ex.getResponseHeaders().set("Location", "/");
      send(ex, 303, "text/plain", "queued " + queued + "\n");
    } else {
      send(ex, 202, "application/json", "{\"queued\":" + queued + "}");
    }
  }

  private void logCsv(HttpExchange ex) throws IOException {
    headers(ex, "text/csv");
    ex.getResponseHeaders()
        .set("Content-Disposition", "attachment; filename=\"lp-archiver-log.csv\"");
    ex.sendResponseHeaders(200, 0); // chunked: the log can be large
    try (Writer w =
        new BufferedWriter(new OutputStreamWriter(ex.getResponseBody(), StandardCharsets.UTF_8))) {
      LogCsv csv = new LogCsv(w, folder);
      csv.header();
      state.exportLog(csv::row);
    } catch (UncheckedIOException e) {
      log.debug("log.csv download stopped: {}", e.getMessage());
    }
  }

  static Optional<String> formField(InputStream body, String name) throws IOException {
    byte[] bytes = body.readNBytes(MAX_FORM_BYTES);
    for (String pair : new String(bytes, StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        return Optional.of(
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  static String json(StatusSnapshot s) {
    ObjectNode root = JSON.createObjectNode();
    root.put("state", s.health().level().label());
    root.put("reason", s.health().reason());
    root.put("now", s.now().toString());
    root.put("running", s.running());
    root.put("nextRun", s.nextRun().map(Object::toString).orElse(null));
    root.put("checkpointLagSeconds", s.lag().map(d -> d.getSeconds()).orElse(null));
    s.lastRun()
        .ifPresent(
            r -> {
              ObjectNode run = root.putObject("lastRun");
              run.put("id", r.id());
              run.put("command", r.command());
              run.put("started", r.started().toString());
              run.put("finished", r.finished().map(Object::toString).orElse(null));
              r.summary()
                  .ifPresent(
                      sum -> {
                        run.put("conversations", sum.conversations());
                        run.put("emails", sum.emails());
                        run.put("deliveries", sum.deliveries());
                        run.put("duplicates", sum.duplicates());
                        run.put("deadLetters", sum.deadLetters());
                        run.put("exitCode", sum.exitCode());
                      });
            });
    ArrayNode days = root.putArray("days");
    for (DailyActivity d : s.days()) {
      days.addObject()
          .put("day", d.day().toString())
          .put("found", d.found())
          .put("afterFanOut", d.afterFanOut())
          .put("imported", d.imported())
          .put("duplicates", d.duplicates())
          .put("externalised", d.externalised())
          .put("failed", d.failed())
          .put("unmapped", d.unmapped());
    }
    ArrayNode letters = root.putArray("deadLetters");
    for (DeadLetter d : s.deadLetters()) {
      letters
          .addObject()
          .put("channel", d.channel().label())
          .put("conversationId", d.conversationId())
          .put("version", d.version())
          .put("mailbox", d.mailbox())
          .put("stage", d.stage().label())
          .put("reason", d.reason())
          .put("attempts", d.attempts())
          .put("firstAt", d.firstAt().toString())
          .put("lastAt", d.lastAt().toString());
    }
    ArrayNode unmapped = root.putArray("unmappedParticipants");
    for (UnmappedParticipant p : s.unmappedParticipants()) {
      unmapped
          .addObject()
          .put("participantId", p.participantId())
          .put("name", p.displayName())
          .put("role", p.role())
          .put("conversations", p.conversations())
          .put("lastSeen", p.lastSeen().toString());
    }
    return root.toString();
  }

  private static void headers(HttpExchange ex, String type) {
    var h = ex.getResponseHeaders();
    h.set("Content-Type", type.contains("charset") ? type : type + "; charset=utf-8");
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
            + " form-action 'self'; frame-ancestors 'none'");
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    headers(ex, type);
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
