package io.lparchiver.deliver.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.http.WholeExchange;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth 2.0 client-credentials grant against {@code {authority}/{tenant}/oauth2/v2.0/token},
 * written by hand instead of MSAL4J because MSAL refuses non-https authorities, so it could not be
 * tested against the loopback simulator without a test CA (docs/microsoft365.md). The token is
 * cached and renewed five minutes (at most half its lifetime) before it expires.
 */
public final class ClientCredentialsTokenProvider implements TokenProvider {

  private static final Logger log = LoggerFactory.getLogger(ClientCredentialsTokenProvider.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final int ATTEMPTS = 3;

  private final GraphSettings settings;
  private final HttpClient http;
  private final Clock clock;
  private final ClientAssertion assertion;
  private String token;
  private Instant renewAt = Instant.MIN;

  public ClientCredentialsTokenProvider(GraphSettings settings, HttpClient http, Clock clock) {
    this.settings = settings;
    this.http = http;
    this.clock = clock;
    this.assertion =
        settings.credential() instanceof GraphCredential.ClientCertificate c
            ? ClientAssertion.load(c.pkcs12(), c.password())
            : null;
  }

  @Override
  public synchronized String accessToken() throws DeliveryException {
    if (token == null || !clock.instant().isBefore(renewAt)) {
      fetch();
    }
    return token;
  }

  @Override
  public synchronized void invalidate(String rejectedToken) {
    if (rejectedToken.equals(token)) {
      token = null;
    }
  }

  private void fetch() throws DeliveryException {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<byte[]> response;
      try {
        response =
            WholeExchange.send(
                http,
                request(),
                HttpResponse.BodyHandlers.ofByteArray(),
                settings.requestTimeout(),
                "the Graph request timeout");
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) {
          throw new DeliveryException(
              "cannot reach the Entra ID token endpoint " + settings.tokenEndpoint() + ": " + e,
              true,
              e);
        }
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException("interrupted while fetching a Graph token", true, e);
      }
      int status = response.statusCode();
      if (status == 200) {
        accept(response.body());
        return;
      }
      if (status < 500 || attempt >= ATTEMPTS) {
        throw refused(status, response.body());
      }
    }
  }

  private HttpRequest request() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", settings.clientId());
    form.put("scope", settings.scope());
    form.put("grant_type", "client_credentials");
    if (settings.credential() instanceof GraphCredential.ClientSecret s) {
      form.put("client_secret", s.secret());
    } else {
      form.put("client_assertion_type", JWT_BEARER);
      form.put(
          "client_assertion",
          assertion.sign(settings.clientId(), settings.tokenEndpoint(), clock.instant()));
    }
    String body =
        form.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return HttpRequest.newBuilder(settings.tokenEndpoint())
        .timeout(settings.requestTimeout())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private void accept(byte[] body) throws DeliveryException {
    try {
      JsonNode json = JSON.readTree(body);
      String t = json.path("access_token").asText("");
      long seconds = json.path("expires_in").asLong(0);
      if (t.isEmpty() || seconds <= 0) {
        throw new DeliveryException("the token endpoint answered without a usable token", true);
      }
      Duration lifetime = Duration.ofSeconds(seconds);
      Duration margin =
          lifetime.dividedBy(2).compareTo(Duration.ofMinutes(5)) < 0
              ? lifetime.dividedBy(2)
              : Duration.ofMinutes(5);
      token = t;
      renewAt = clock.instant().plus(lifetime).minus(margin);
      log.debug("Graph token acquired, valid for {} s", seconds);
    } catch (IOException e) {
      throw new DeliveryException("the token endpoint answered with invalid JSON", true, e);
    }
  }

  /** Names the keys to fix; Entra's error_description never echoes the secret. */
  private DeliveryException refused(int status, byte[] body) {
    String error = "";
    String description = "";
    try {
      JsonNode json = JSON.readTree(body);
      error = json.path("error").asText("");
      description = json.path("error_description").asText("").lines().findFirst().orElse("");
    } catch (IOException e) {
      // keep the status alone
    }
    String fix =
        settings.credential() instanceof GraphCredential.ClientSecret
            ? "check target.graph.tenantId, target.graph.clientId and target.graph.clientSecret"
                + " (secrets expire: make a new one under Certificates & secrets)"
            : "check target.graph.tenantId, target.graph.clientId and that the certificate in"
                + " target.graph.certificatePath is uploaded to the app registration";
    return new DeliveryException(
        "Entra ID refused the client credentials (HTTP "
            + status
            + (error.isEmpty() ? "" : ", " + error)
            + (description.isEmpty() ? "" : ": " + description)
            + "); "
            + fix,
        status >= 500);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
