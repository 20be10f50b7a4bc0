package io.lparchiver.deliver.imap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.http.WholeExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * OAuth 2.0 client-credentials tokens for IMAP XOAUTH2, cached until shortly before they expire.
 * The client secret and the tokens never appear in messages or logs.
 */
final class OAuth2TokenSource {

  /** Refresh this long before the token's stated expiry. */
  private static final Duration MARGIN = Duration.ofSeconds(60);

  private final ImapSettings.OAuth2 settings;
  private final Clock clock;
  private final HttpClient http;
  private final Duration timeout;
  private String token; // guarded by this
  private Instant expires = Instant.MIN; // guarded by this

  OAuth2TokenSource(ImapSettings.OAuth2 settings, Duration timeout, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.timeout = timeout;
    this.http = io.lparchiver.tls.TlsTrust.httpClient().connectTimeout(timeout).build();
  }

  synchronized String token() throws DeliveryException {
    if (token == null || !clock.instant().isBefore(expires)) {
      fetch();
    }
    return token;
  }

  /** Forgets the cached token, e.g. after the server refused it. */
  synchronized void invalidate() {
    token = null;
  }

  private void fetch() throws DeliveryException {
    String form =
        "grant_type=client_credentials&client_id="
            + encode(settings.clientId())
            + "&client_secret="
            + encode(settings.clientSecret())
            + settings.scope().map(s -> "&scope=" + encode(s)).orElse("");
    HttpRequest request =
        HttpRequest.newBuilder(settings.tokenUrl())
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response;
    try {
      response =
          WholeExchange.send(
              http, request, HttpResponse.BodyHandlers.ofString(), timeout, "target.imap.timeout");
    } catch (IOException e) {
      throw new DeliveryException(
          "cannot reach the token endpoint " + where() + ": " + e.getMessage() + "; will retry",
          true,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted while fetching an OAuth2 token", true, e);
    }
    int status = response.statusCode();
    if (status >= 400 && status < 500) {
      throw new DeliveryException(
          "the token endpoint "
              + where()
              + " refused the client credentials (HTTP "
              + status
              + "): check target.imap.oauth2.clientId, target.imap.oauth2.clientSecret and"
              + " target.imap.oauth2.scope",
          false);
    }
    if (status != 200) {
      throw new DeliveryException(
          "the token endpoint " + where() + " answered HTTP " + status + "; will retry", true);
    }
    read(response.body());
  }

  private void read(String body) throws DeliveryException {
    try {
      JsonNode json = new ObjectMapper().readTree(body);
      String accessToken = json.path("access_token").asText("");
      if (accessToken.isEmpty()) {
        throw new DeliveryException(
            "the token endpoint " + where() + " answered without an access_token", false);
      }
      long seconds = json.path("expires_in").asLong(3600);
      token = accessToken;
      expires = clock.instant().plusSeconds(seconds).minus(MARGIN);
    } catch (IOException e) {
      throw new DeliveryException(
          "the token endpoint " + where() + " answered with something other than JSON", false, e);
    }
  }

  private String where() {
    URI url = settings.tokenUrl();
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() > 0 ? ":" + url.getPort() : "")
        + url.getPath();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
