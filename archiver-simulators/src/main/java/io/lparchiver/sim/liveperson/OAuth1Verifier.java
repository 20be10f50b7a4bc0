package io.lparchiver.sim.liveperson;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies an OAuth 1.0a HMAC-SHA1 {@code Authorization} header (RFC 5849), written independently
 * of archiver-core so the core signer is tested against a second implementation.
 *
 * <p>Base string = METHOD & enc(http://host[:port]/path) & enc(sorted, encoded query and oauth_*
 * params except oauth_signature). A JSON body is not part of it. Key = enc(consumer secret) &
 * enc(token secret). Timestamps and nonces are checked for presence only: tests run with fixed
 * clocks, and LivePerson's replay window is not documented.
 */
final class OAuth1Verifier {
  private static final Pattern PARAM =
      Pattern.compile("\\s*([A-Za-z0-9_.~%-]+)\\s*=\\s*\"([^\"]*)\"\\s*");
  private static final List<String> REQUIRED =
      List.of(
          "oauth_consumer_key",
          "oauth_token",
          "oauth_signature_method",
          "oauth_timestamp",
          "oauth_nonce",
          "oauth_signature");

  private final SimulatorCredentials credentials;

  OAuth1Verifier(SimulatorCredentials credentials) {
    this.credentials = credentials;
  }

  /**
   * Throws a 401 {@link ApiException} naming the problem, or returns normally.
   *
   * @param host the Host header as received
   */
  void verify(String method, String host, String rawPath, String rawQuery, String authorization)
      throws ApiException {
    Map<String, String> oauth = parseHeader(authorization);
    for (String name : REQUIRED) {
      if (!oauth.containsKey(name) || oauth.get(name).isEmpty()) {
        throw unauthorized("OAuth header is missing " + name);
      }
    }
    if (!"HMAC-SHA1".equals(oauth.get("oauth_signature_method"))) {
      throw unauthorized("oauth_signature_method must be HMAC-SHA1");
    }
    if (oauth.containsKey("oauth_version") && !"1.0".equals(oauth.get("oauth_version"))) {
      throw unauthorized("oauth_version must be 1.0");
    }
    if (!oauth.get("oauth_timestamp").matches("[0-9]{1,19}")) {
      throw unauthorized("oauth_timestamp must be seconds since the epoch");
    }
    if (!credentials.consumerKey().equals(oauth.get("oauth_consumer_key"))) {
      throw unauthorized("unknown consumer key (app key)");
    }
    if (!credentials.token().equals(oauth.get("oauth_token"))) {
      throw unauthorized("access token does not belong to this app key");
    }
    String baseString = baseString(method, host, rawPath, rawQuery, oauth);
    byte[] expected = hmacSha1(signingKey(), baseString);
    byte[] given;
    try {
      given = Base64.getDecoder().decode(oauth.get("oauth_signature"));
    } catch (IllegalArgumentException e) {
      throw unauthorized("oauth_signature is not base64");
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw unauthorized("invalid OAuth signature (HMAC-SHA1 of the signature base string)");
    }
  }

  /** The signature base string of RFC 5849 section 3.4.1. */
  static String baseString(
      String method, String host, String rawPath, String rawQuery, Map<String, String> oauth)
      throws ApiException {
    List<String[]> params = new ArrayList<>();
    try {
      for (Map.Entry<String, String> p : PercentCodec.parseQuery(rawQuery)) {
        params.add(pair(p.getKey(), p.getValue()));
      }
    } catch (IllegalArgumentException e) {
      throw unauthorized("query string cannot be decoded for the signature: " + e.getMessage());
    }
    oauth.forEach(
        (name, value) -> {
          if (!"oauth_signature".equals(name) && !"realm".equals(name)) {
            params.add(pair(name, value));
          }
        });
    params.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
    String normalized =
        params.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    return method.toUpperCase(Locale.ROOT)
        + "&"
        + PercentCodec.encode(baseUri(host, rawPath))
        + "&"
        + PercentCodec.encode(normalized);
  }

  private static String baseUri(String host, String rawPath) {
    String authority = host == null ? "" : host.toLowerCase(Locale.ROOT);
    if (authority.endsWith(":80")) {
      authority = authority.substring(0, authority.length() - 3);
    }
    return "http://" + authority + rawPath;
  }

  private static String[] pair(String name, String value) {
    return new String[] {PercentCodec.encode(name), PercentCodec.encode(value)};
  }

  private static Map<String, String> parseHeader(String authorization) throws ApiException {
    if (authorization == null || authorization.isBlank()) {
      throw unauthorized("missing Authorization header (OAuth 1.0a app key expected)");
    }
    String trimmed = authorization.trim();
    if (trimmed.length() < 6 || !trimmed.regionMatches(true, 0, "OAuth ", 0, 6)) {
      throw unauthorized("Authorization header is not an OAuth 1.0a header");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String part : trimmed.substring(6).split(",", -1)) {
      Matcher m = PARAM.matcher(part);
      if (!m.matches()) {
        throw unauthorized("malformed OAuth header parameter");
      }
      String name;
      String value;
      try {
        name = PercentCodec.decode(m.group(1));
        value = PercentCodec.decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw unauthorized("OAuth header parameter is not percent-encoded correctly");
      }
      if (params.put(name, value) != null) {
        throw unauthorized("duplicate OAuth header parameter " + name);
      }
    }
    return params;
  }

  private String signingKey() {
    return PercentCodec.encode(credentials.consumerSecret())
        + "&"
        + PercentCodec.encode(credentials.tokenSecret());
  }

  private static byte[] hmacSha1(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }

  private static ApiException unauthorized(String message) {
    return new ApiException(401, message);
  }
}
