package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.http.WholeExchange;
import io.lparchiver.source.SourceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A Login Service ({@code agentVep}) session: {@code POST /api/account/{id}/login?v=1.3} gives a
 * bearer, a csrf token and a {@code Session_id} cookie. The bearer is cached and the session
 * refreshed ({@code POST /refresh} with the csrf and the cookie) once it is {@link #REFRESH_AFTER}
 * old, as LivePerson asks (every 3 to 5 minutes); a failed refresh logs in again. Thread-safe.
 */
final class LoginSession {

  static final Duration REFRESH_AFTER = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEYS =
      "source.liveperson.files.login.username / source.liveperson.files.login.password";

  private record Session(String bearer, String csrf, String cookie, Instant refreshed) {}

  private final String account;
  private final DomainApi domains;
  private final HttpClient http;
  private final FileDownloadSettings settings;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final Clock clock;
  private Session session;

  LoginSession(
      String account,
      DomainApi domains,
      HttpClient http,
      FileDownloadSettings settings,
      RetryPolicy policy,
      Sleeper sleeper,
      Clock clock) {
    this.account = account;
    this.domains = domains;
    this.http = http;
    this.settings = settings;
    this.policy = policy;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  /** A bearer of a live session: cached, refreshed when due, a new login when needed. */
  synchronized String bearer() throws InterruptedException {
    if (session != null
        && clock.instant().isAfter(session.refreshed().plus(REFRESH_AFTER))
        && !refresh()) {
      session = null;
    }
    if (session == null) {
      session = login();
    }
    return session.bearer();
  }

  /** Forgets the session (the websocket refused its bearer): the next call logs in again. */
  synchronized void invalidate() {
    session = null;
  }

  private Session login() throws InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("username", settings.username());
    body.put("password", settings.password());
    HttpResponse<String> r = post("/login?v=1.3", body, Optional.empty());
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new SourceException(
          SourceException.Kind.AUTHENTICATION,
          "LivePerson Login Service refused the file download user '"
              + settings.username()
              + "' (HTTP "
              + r.statusCode()
              + "): check "
              + KEYS
              + "; the user needs the User Login permission");
    }
    if (r.statusCode() != 200) {
      throw new SourceException(
          SourceException.Kind.RETRIES_EXHAUSTED,
          "LivePerson Login Service answered HTTP " + r.statusCode() + " to the login");
    }
    JsonNode json = parse(r.body());
    String bearer = json.path("bearer").asText("");
    String csrf = json.path("csrf").asText("");
    if (bearer.isEmpty()) {
      throw new SourceException(
          SourceException.Kind.RETRIES_EXHAUSTED, "LivePerson Login Service gave no bearer");
    }
    String cookie =
        r.headers().allValues("set-cookie").stream()
            .map(c -> c.split(";", 2)[0].strip())
            .filter(c -> c.startsWith("Session_id="))
            .findFirst()
            .orElse("");
    return new Session(bearer, csrf, cookie, clock.instant());
  }

  private boolean refresh() throws InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("csrf", session.csrf()); // "csrf", not the "csfr" typo seen in peers
    try {
      HttpResponse<String> r = post("/refresh", body, Optional.of(session));
      if (r.statusCode() != 200) {
        return false;
      }
    } catch (SourceException e) {
      return false;
    }
    session = new Session(session.bearer(), session.csrf(), session.cookie(), clock.instant());
    return true;
  }

  // 5xx and I/O errors are retried with backoff, bounded by the retry policy.
  private HttpResponse<String> post(String suffix, ObjectNode body, Optional<Session> s)
      throws InterruptedException {
    URI uri = URI.create(domains.baseUri("agentVep") + "/api/account/" + account + suffix);
    String failure = "";
    for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(uri)
              .timeout(policy.requestTimeout())
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
      s.ifPresent(
          x -> {
            req.header("Authorization", "Bearer " + x.bearer());
            if (!x.cookie().isEmpty()) {
              req.header("Cookie", x.cookie());
            }
          });
      try {
        HttpResponse<String> r =
            WholeExchange.send(
                http,
                req.build(),
                HttpResponse.BodyHandlers.ofString(),
                policy.requestTimeout(),
                "source.liveperson.retry.timeout");
        if (r.statusCode() < 500 && r.statusCode() != 429) {
          return r;
        }
        failure = "HTTP " + r.statusCode();
      } catch (IOException e) {
        failure = "I/O error: " + e.getMessage();
      }
      if (attempt < policy.maxAttempts()) {
        sleeper.sleep(policy.backoff(attempt));
      }
    }
    throw new SourceException(
        SourceException.Kind.RETRIES_EXHAUSTED,
        "LivePerson Login Service unreachable after "
            + policy.maxAttempts()
            + " attempts: "
            + failure);
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n == null ? JSON.createObjectNode() : n;
    } catch (IOException e) {
      throw new SourceException(
          SourceException.Kind.RETRIES_EXHAUSTED, "LivePerson Login Service answer is not JSON");
    }
  }
}
