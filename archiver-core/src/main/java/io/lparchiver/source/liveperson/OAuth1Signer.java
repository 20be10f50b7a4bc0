package io.lparchiver.source.liveperson;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs LivePerson requests with OAuth 1.0a HMAC-SHA1 (RFC 5849). The base string covers the
 * method, the base URI and the query parameters; a JSON body is not part of it (section 3.4.1.3:
 * only form-encoded bodies are). Thread-safe.
 */
public final class OAuth1Signer {

  private static final String HMAC_SHA1 = "HmacSHA1";

  private final OAuth1Credentials credentials;
  private final Clock clock;
  private final Supplier<String> nonces;

  /**
   * @param clock source of {@code oauth_timestamp}
   * @param nonces source of {@code oauth_nonce}; tests inject a fixed one
   */
  public OAuth1Signer(OAuth1Credentials credentials, Clock clock, Supplier<String> nonces) {
    this.credentials = credentials;
    this.clock = clock;
    this.nonces = nonces;
  }

  /** A signer with random nonces. */
  public static OAuth1Signer create(OAuth1Credentials credentials, Clock clock) {
    SecureRandom random = new SecureRandom();
    return new OAuth1Signer(
        credentials,
        clock,
        () -> {
          byte[] bytes = new byte[16];
          random.nextBytes(bytes);
          return HexFormat.of().formatHex(bytes);
        });
  }

  /** The value of the {@code Authorization} header for this request. */
  public String authorizationHeader(String method, URI uri) {
    Map<String, String> oauth = new LinkedHashMap<>();
    oauth.put("oauth_consumer_key", credentials.consumerKey());
    oauth.put("oauth_nonce", nonces.get());
    oauth.put("oauth_signature_method", "HMAC-SHA1");
    oauth.put("oauth_timestamp", Long.toString(clock.instant().getEpochSecond()));
    oauth.put("oauth_token", credentials.token());
    oauth.put("oauth_version", "1.0");
    oauth.put("oauth_signature", signature(baseString(method, uri, oauth)));
    return "OAuth "
        + oauth.entrySet().stream()
            .map(e -> Rfc3986.encode(e.getKey()) + "=\"" + Rfc3986.encode(e.getValue()) + "\"")
            .collect(Collectors.joining(", "));
  }

  /** The signature base string of RFC 5849 section 3.4.1 for the given protocol parameters. */
  static String baseString(String method, URI uri, Map<String, String> oauthParams) {
    List<String[]> params = new ArrayList<>();
    for (Map.Entry<String, String> p : Rfc3986.parseQuery(uri.getRawQuery())) {
      params.add(encodedPair(p.getKey(), p.getValue()));
    }
    oauthParams.forEach(
        (name, value) -> {
          if (!"oauth_signature".equals(name) && !"realm".equals(name)) {
            params.add(encodedPair(name, value));
          }
        });
    params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    String normalized =
        params.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    return method.toUpperCase(Locale.ROOT)
        + "&"
        + Rfc3986.encode(baseUri(uri))
        + "&"
        + Rfc3986.encode(normalized);
  }

  /** Base64 HMAC-SHA1 of the base string, keyed with both secrets (section 3.4.2). */
  String signature(String baseString) {
    String key =
        Rfc3986.encode(credentials.consumerSecret())
            + "&"
            + Rfc3986.encode(credentials.tokenSecret());
    try {
      Mac mac = Mac.getInstance(HMAC_SHA1);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
    }
  }

  /** Scheme and host in lower case, default ports dropped (section 3.4.1.2). */
  private static String baseUri(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || ("http".equals(scheme) && port == 80)
            || ("https".equals(scheme) && port == 443);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
  }

  private static String[] encodedPair(String name, String value) {
    return new String[] {Rfc3986.encode(name), Rfc3986.encode(value)};
  }

  @Override
  public String toString() {
    return "OAuth1Signer[" + credentials + "]";
  }
}
