package io.lparchiver.sim.liveperson;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A deliberately small OAuth 1.0a HMAC-SHA1 signer for tests (RFC 5849), separate from main. */
final class TestOAuth1Signer {
  private final SimulatorCredentials credentials;
  private long counter;

  TestOAuth1Signer(SimulatorCredentials credentials) {
    this.credentials = credentials;
  }

  synchronized String authorization(String method, URI uri) {
    Map<String, String> oauth = new LinkedHashMap<>();
    oauth.put("oauth_consumer_key", credentials.consumerKey());
    counter++;
    oauth.put("oauth_nonce", "nonce" + counter);
    oauth.put("oauth_signature_method", "HMAC-SHA1");
    oauth.put("oauth_timestamp", "1700000000");
    oauth.put("oauth_token", credentials.token());
    oauth.put("oauth_version", "1.0");
    List<String> params = new ArrayList<>();
    oauth.forEach((k, v) -> params.add(enc(k) + "=" + enc(v)));
    String rawQuery = uri.getRawQuery();
    if (rawQuery != null) {
      for (String part : rawQuery.split("&", -1)) {
        String[] kv = part.split("=", 2);
        params.add(enc(dec(kv[0])) + "=" + enc(kv.length > 1 ? dec(kv[1]) : ""));
      }
    }
    params.sort(null);
    String base =
        method
            + "&"
            + enc("http://" + uri.getHost() + ":" + uri.getPort() + uri.getRawPath())
            + "&"
            + enc(String.join("&", params));
    String key = enc(credentials.consumerSecret()) + "&" + enc(credentials.tokenSecret());
    oauth.put("oauth_signature", hmac(key, base));
    return "OAuth "
        + oauth.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=\"" + enc(e.getValue()) + "\"")
            .collect(Collectors.joining(", "));
  }

  private static String hmac(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String enc(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c < 128 && Character.isLetterOrDigit(c)) || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append(String.format("%%%02X", b & 0xFF));
      }
    }
    return out.toString();
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
