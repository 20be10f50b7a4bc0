package io.lparchiver.source.liveperson;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/** A scripted HTTP server on 127.0.0.1 for transport tests: answers in order, records requests. */
final class StubServer implements AutoCloseable {

  record Answer(int status, Map<String, String> headers, String body, boolean dropMidBody) {
    static Answer of(int status, String body) {
      return new Answer(status, Map.of(), body, false);
    }

    static Answer of(int status, Map<String, String> headers, String body) {
      return new Answer(status, headers, body, false);
    }

    static Answer dropped(String body) {
      return new Answer(200, Map.of(), body, true);
    }
  }

  record Seen(String method, URI uri, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

  StubServer() {
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  StubServer answer(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] in = ex.getRequestBody().readAllBytes();
    seen.add(
        new Seen(
            ex.getRequestMethod(),
            ex.getRequestURI(),
            Map.copyOf(ex.getRequestHeaders()),
            new String(in, StandardCharsets.UTF_8)));
    Answer answer = script.poll();
    if (answer == null) {
      answer = Answer.of(500, "{\"error\":\"script exhausted\"}");
    }
    answer.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    if (answer.status() == 304) {
      ex.sendResponseHeaders(304, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    OutputStream out = ex.getResponseBody();
    if (answer.dropMidBody()) {
      out.write(body, 0, body.length / 2);
      out.flush();
      throw new IOException("dropped on purpose"); // the JDK server then closes the socket
    }
    out.write(body);
    out.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
