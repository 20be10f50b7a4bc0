package io.lparchiver.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK HTTP server every simulator runs on: bound to 127.0.0.1 only (simulators never listen
 * elsewhere), served by a fixed pool of daemon threads, stopped at once on close.
 */
public final class LoopbackHttpServer implements AutoCloseable {

  public static final String LOOPBACK = "127.0.0.1";

  static {
    // The JDK server writes an answer's headers and body separately; with Nagle's algorithm on,
    // the body then waits for the client's delayed ACK, about 40 ms an answer on Linux: more than
    // the work of most answers, and it inflated every benchmark that talks to a simulator. Read
    // once, when the JDK server's configuration class loads, so it is set before any bind.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private ExecutorService executor;

  private LoopbackHttpServer(HttpServer server) {
    this.server = server;
  }

  /** Binds the port (0: any free port) without serving yet, so the caller can learn the port. */
  public static LoopbackHttpServer bind(int port, int backlog) {
    try {
      return new LoopbackHttpServer(
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
              backlog));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + LOOPBACK + ":" + port, e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Serves every path with {@code handler} on {@code threads} daemon threads. */
  public void start(String threadPrefix, int threads, HttpHandler handler) {
    AtomicInteger threadNo = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, threadPrefix + "-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", handler);
    server.start();
  }

  /**
   * Sends a JSON answer. With {@code dropMidBody} the headers promise the whole body, half of it is
   * written, and the connection is cut, as a failing proxy or server would.
   */
  public static void sendJson(HttpExchange ex, int status, byte[] body, boolean dropMidBody)
      throws IOException {
    if (body.length > 0) {
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    }
    if (dropMidBody) {
      ex.sendResponseHeaders(status, Math.max(body.length, 2));
      OutputStream out = ex.getResponseBody();
      out.write(body, 0, body.length / 2);
      out.flush();
      // Throwing out of the handler makes the JDK server close the socket mid-body.
      throw new IOException("simulated dropped connection");
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Holds a JSON answer for {@code hold}, then cuts the connection: before any header ({@code
   * beforeHeaders}) or after the headers and half of the body. A client without a deadline on the
   * whole exchange waits the full hold.
   */
  public static void sendJsonStalled(
      HttpExchange ex, int status, byte[] body, boolean beforeHeaders, Duration hold)
      throws IOException {
    if (!beforeHeaders) {
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(status, Math.max(body.length, 2));
      OutputStream out = ex.getResponseBody();
      out.write(body, 0, body.length / 2);
      out.flush();
    }
    try {
      Thread.sleep(hold.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is closing
    }
    throw new IOException("simulated stalled response");
  }

  @Override
  public void close() {
    server.stop(0);
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
