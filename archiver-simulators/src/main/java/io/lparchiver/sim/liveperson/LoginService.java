package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Login Service ({@code agentVep}): {@code POST /api/account/{id}/login?v=1.3} with a user's
 * name and password gives a bearer, a csrf token and a {@code Session_id} cookie; {@code POST
 * /api/account/{id}/refresh} with the csrf and the cookie keeps the session alive. A session idle
 * for {@link #SESSION_IDLE} ends, as LivePerson's does. Thread-safe.
 */
final class LoginService {

  static final Duration SESSION_IDLE = Duration.ofMinutes(30);
  private static final String USER_ID = "archiver-files-user";

  private record Session(String csrf, String cookie, Instant expires) {}

  private final String account;
  private final AgentLogin agent;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  final AtomicInteger logins = new AtomicInteger();
  final AtomicInteger refreshes = new AtomicInteger();

  LoginService(String account, AgentLogin agent, Clock clock) {
    this.account = account;
    this.agent = agent;
    this.clock = clock;
  }

  SimResponse login(SimRequest req) throws ApiException {
    checkAccount(req);
    JsonNode body = body(req);
    if (!agent.username().equals(body.path("username").asText(null))
        || !agent.password().equals(body.path("password").asText(null))) {
      throw new ApiException(401, "Bad credentials: user name or password is wrong");
    }
    String bearer = token(32);
    Session s = new Session(token(16), token(16), clock.instant().plus(SESSION_IDLE));
    sessions.put(bearer, s);
    logins.incrementAndGet();
    ObjectNode out = SimResponse.JSON.createObjectNode();
    out.put("csrf", s.csrf());
    out.put("wasAlreadyLoggedIn", false);
    out.put("bearer", bearer);
    ObjectNode config = out.putObject("config");
    config.put("userId", USER_ID);
    config.put("userPid", USER_ID + "-pid");
    config.put("loginName", agent.username());
    config.put("accountId", account);
    return SimResponse.json(
        200, out, Map.of("Set-Cookie", "Session_id=" + s.cookie() + "; Path=/"));
  }

  SimResponse refresh(SimRequest req) throws ApiException {
    checkAccount(req);
    String bearer = bearerOf(req);
    Session s = sessions.get(bearer);
    if (s == null || !s.expires().isAfter(clock.instant())) {
      throw new ApiException(401, "session expired or unknown: log in again");
    }
    if (!s.csrf().equals(body(req).path("csrf").asText(null))
        || !req.header("cookie").orElse("").contains("Session_id=" + s.cookie())) {
      throw new ApiException(401, "CSRF token invalid");
    }
    sessions.put(bearer, new Session(s.csrf(), s.cookie(), clock.instant().plus(SESSION_IDLE)));
    refreshes.incrementAndGet();
    return SimResponse.json(200, SimResponse.JSON.createObjectNode());
  }

  /** Whether the bearer belongs to a live session; a use counts as activity. */
  boolean accept(String bearer) {
    Session s = bearer == null ? null : sessions.get(bearer);
    if (s == null || !s.expires().isAfter(clock.instant())) {
      return false;
    }
    sessions.put(bearer, new Session(s.csrf(), s.cookie(), clock.instant().plus(SESSION_IDLE)));
    return true;
  }

  /** Ends every session, as a LivePerson restart or an admin's logout would. */
  void endSessions() {
    sessions.clear();
  }

  private void checkAccount(SimRequest req) throws ApiException {
    if (!account.equals(req.pathParam(0))) {
      throw new ApiException(404, "account " + req.pathParam(0) + " not found");
    }
  }

  private static String bearerOf(SimRequest req) {
    String auth = req.header("authorization").orElse("");
    return auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : "";
  }

  private static JsonNode body(SimRequest req) throws ApiException {
    try {
      JsonNode node = SimResponse.JSON.readTree(req.body());
      if (node == null || !node.isObject()) {
        throw new ApiException(400, "body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ApiException(400, "body is not JSON");
    }
  }

  private String token(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
