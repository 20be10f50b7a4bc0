package io.lparchiver.deliver.imap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback OAuth 2.0 server: {@code /token} grants client credentials, {@code /introspect}
 * answers Dovecot's RFC 7662 token checks for the one user the tokens are for.
 */
final class TokenEndpoint implements AutoCloseable {

  private final HttpServer server;
  private final String clientId;
  private final String clientSecret;
  private final String user;
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final AtomicInteger count = new AtomicInteger();
  private volatile String lastScope;

  TokenEndpoint(String clientId, String clientSecret, String user) throws IOException {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.user = user;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.createContext("/introspect", this::introspect);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  int tokensIssued() {
    return count.get();
  }

  String lastScope() {
    return lastScope;
  }

  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form = form(exchange);
    if (!"client_credentials".equals(form.get("grant_type"))
        || !clientId.equals(form.get("client_id"))
        || !clientSecret.equals(form.get("client_secret"))) {
      respond(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    lastScope = form.get("scope");
    String token = "tok-" + count.incrementAndGet();
    issued.add(token);
    respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3600}");
  }

  private void introspect(HttpExchange exchange) throws IOException {
    boolean active = issued.contains(form(exchange).get("token"));
    respond(
        exchange,
        200,
        active ? "{\"active\":true,\"username\":\"" + user + "\"}" : "{\"active\":false}");
  }

  private static Map<String, String> form(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
