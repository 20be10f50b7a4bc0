package io.lparchiver.sim.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Entra ID's client-credentials grant ({@code POST /{tenant}/oauth2/v2.0/token}): checks the client
 * secret or a certificate-signed {@code client_assertion}, issues opaque bearer tokens with a
 * configurable lifetime, and answers with the OAuth error shape.
 */
final class TokenEndpoint {

  static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private final String tenantId;
  private final String clientId;
  private final String clientSecret;
  private final Optional<X509Certificate> certificate;
  private final Duration lifetime;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final AtomicInteger issued = new AtomicInteger();

  TokenEndpoint(
      String tenantId,
      String clientId,
      String clientSecret,
      Optional<X509Certificate> certificate,
      Duration lifetime,
      Clock clock) {
    this.tenantId = tenantId;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.certificate = certificate;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  int issued() {
    return issued.get();
  }

  /** True for a token this endpoint issued and that has not expired. */
  boolean valid(String token) {
    Instant expiry = tokens.get(token);
    return expiry != null && clock.instant().isBefore(expiry);
  }

  void expireAll() {
    tokens.replaceAll((t, e) -> Instant.EPOCH);
  }

  Res token(Req req) {
    Map<String, String> form =
        GraphSimulator.parseForm(new String(req.body(), StandardCharsets.UTF_8));
    if (!tenantId.equalsIgnoreCase(req.group(0))) {
      return error(
          400, "invalid_request", "AADSTS90002: Tenant '" + req.group(0) + "' not found.", 90002);
    }
    if (!"client_credentials".equals(form.get("grant_type"))) {
      return error(
          400,
          "unsupported_grant_type",
          "AADSTS70003: The app requested an unsupported grant type.",
          70003);
    }
    if (!clientId.equals(form.get("client_id"))) {
      return error(
          400,
          "unauthorized_client",
          "AADSTS700016: Application with identifier was not found in the directory.",
          700016);
    }
    String scope = form.getOrDefault("scope", "");
    if (!scope.endsWith("/.default") || scope.contains(" ")) {
      return error(
          400,
          "invalid_scope",
          "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope must end in /.default.",
          70011);
    }
    Optional<String> problem = credentialProblem(form, req);
    if (problem.isPresent()) {
      return error(401, "invalid_client", problem.get(), 7000215);
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String token = "sim." + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    tokens.put(token, clock.instant().plus(lifetime));
    issued.incrementAndGet();
    ObjectNode body = Res.JSON.createObjectNode();
    body.put("token_type", "Bearer");
    body.put("expires_in", lifetime.toSeconds());
    body.put("ext_expires_in", lifetime.toSeconds());
    body.put("access_token", token);
    return Res.json(200, body).asOAuth();
  }

  private Optional<String> credentialProblem(Map<String, String> form, Req req) {
    if (form.containsKey("client_secret")) {
      return MessageDigest.isEqual(
              form.get("client_secret").getBytes(StandardCharsets.UTF_8),
              clientSecret.getBytes(StandardCharsets.UTF_8))
          ? Optional.empty()
          : Optional.of("AADSTS7000215: Invalid client secret provided.");
    }
    if (JWT_BEARER.equals(form.get("client_assertion_type"))
        && form.containsKey("client_assertion")) {
      return assertionProblem(form.get("client_assertion"), req.path());
    }
    return Optional.of(
        "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required.");
  }

  /**
   * Verifies an RS256 client assertion against the registered certificate (x5t, aud, iss, sub,
   * exp).
   */
  private Optional<String> assertionProblem(String jwt, String path) {
    if (certificate.isEmpty()) {
      return Optional.of("AADSTS700027: No certificate is registered for this application.");
    }
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.of("AADSTS50027: JWT token is invalid or malformed.");
    }
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonNode header = Res.JSON.readTree(b64.decode(parts[0]));
      JsonNode claims = Res.JSON.readTree(b64.decode(parts[1]));
      X509Certificate cert = certificate.get();
      String thumbprint =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
      if (!"RS256".equals(header.path("alg").asText())
          || !thumbprint.equals(header.path("x5t").asText())) {
        return Optional.of(
            "AADSTS700027: Client assertion contains an invalid signature (unknown key or algorithm).");
      }
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(cert.getPublicKey());
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!verifier.verify(b64.decode(parts[2]))) {
        return Optional.of("AADSTS700027: Client assertion contains an invalid signature.");
      }
      if (!claims.path("aud").asText().endsWith(path)
          || !clientId.equals(claims.path("iss").asText())
          || !clientId.equals(claims.path("sub").asText())
          || claims.path("jti").asText().isEmpty()) {
        return Optional.of(
            "AADSTS700023: Client assertion audience, issuer, subject or jti is wrong.");
      }
      if (claims.path("exp").asLong() <= clock.instant().getEpochSecond()) {
        return Optional.of("AADSTS700024: Client assertion is not within its valid time range.");
      }
      return Optional.empty();
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return Optional.of("AADSTS50027: JWT token is invalid or malformed.");
    }
  }

  private Res error(int status, String error, String description, int code) {
    ObjectNode body = Res.JSON.createObjectNode();
    body.put("error", error);
    body.put("error_description", description);
    body.putArray("error_codes").add(code);
    body.put("timestamp", clock.instant().toString());
    body.put("trace_id", java.util.UUID.randomUUID().toString());
    body.put("correlation_id", java.util.UUID.randomUUID().toString());
    return Res.json(status, body).asOAuth();
  }
}
