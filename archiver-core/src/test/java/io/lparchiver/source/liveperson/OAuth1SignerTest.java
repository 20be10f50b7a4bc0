package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OAuth1SignerTest {

  // The photos.example.net example shared by OAuth Core 1.0a (appendix A.5) and RFC 5849 (1.2).
  private static final OAuth1Credentials PHOTOS =
      new OAuth1Credentials(
          "dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
  private static final URI PHOTOS_URI =
      URI.create("http://photos.example.net/photos?file=vacation.jpg&size=original");

  @Test
  void signsTheOAuthCoreAppendixA5ExampleExactly() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1191242096), ZoneOffset.UTC);
    OAuth1Signer signer = new OAuth1Signer(PHOTOS, clock, () -> "kllo9940pd9333jh");

    String header = signer.authorizationHeader("GET", PHOTOS_URI);

    assertThat(header)
        .startsWith("OAuth ")
        .contains("oauth_consumer_key=\"dpf43f3p2l4k3l03\"")
        .contains("oauth_token=\"nnch734d00sl2jdk\"")
        .contains("oauth_nonce=\"kllo9940pd9333jh\"")
        .contains("oauth_timestamp=\"1191242096\"")
        .contains("oauth_signature_method=\"HMAC-SHA1\"")
        .contains("oauth_version=\"1.0\"")
        // published signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=, percent-encoded in the header
        .contains("oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\"")
        .doesNotContain("kd94hf93k423kf44")
        .doesNotContain("pfkkdhi9sl3r4s00");
  }

  @Test
  void reproducesTheRfc5849Section12BaseStringAndSignature() {
    Map<String, String> oauth = new LinkedHashMap<>();
    oauth.put("realm", "Photos");
    oauth.put("oauth_consumer_key", "dpf43f3p2l4k3l03");
    oauth.put("oauth_token", "nnch734d00sl2jdk");
    oauth.put("oauth_signature_method", "HMAC-SHA1");
    oauth.put("oauth_timestamp", "137131202");
    oauth.put("oauth_nonce", "chapoH");

    String base = OAuth1Signer.baseString("GET", PHOTOS_URI, oauth);

    assertThat(base)
        .isEqualTo(
            "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg"
                + "%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH"
                + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202"
                + "%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal");
    OAuth1Signer signer = new OAuth1Signer(PHOTOS, Clock.systemUTC(), () -> "n");
    assertThat(signer.signature(base)).isEqualTo("MdpQcU8iPSUjWoN/UDMsK2sui9I=");
  }

  @Test
  void baseStringKeepsNonDefaultPortsDropsDefaultOnesAndEncodesQueryValues() {
    Map<String, String> none = Map.of();
    assertThat(
            OAuth1Signer.baseString(
                "post", URI.create("http://127.0.0.1:8123/a/b?sort=start%3Aasc&v=2"), none))
        .isEqualTo("POST&http%3A%2F%2F127.0.0.1%3A8123%2Fa%2Fb&sort%3Dstart%253Aasc%26v%3D2");
    assertThat(OAuth1Signer.baseString("GET", URI.create("HTTPS://Va.Example.NET:443/x"), none))
        .isEqualTo("GET&https%3A%2F%2Fva.example.net%2Fx&");
  }

  @Test
  void nonceAndTimestampComeFromTheInjectedSources() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(42), ZoneOffset.UTC);
    OAuth1Signer signer = OAuth1Signer.create(PHOTOS, clock);

    String a = signer.authorizationHeader("GET", PHOTOS_URI);
    String b = signer.authorizationHeader("GET", PHOTOS_URI);

    assertThat(a).contains("oauth_timestamp=\"42\"");
    assertThat(a).isNotEqualTo(b); // fresh random nonce each time
  }

  @Test
  void credentialsNeverPrintTheirSecrets() {
    assertThat(PHOTOS.toString())
        .contains("dpf43f3p2l4k3l03")
        .doesNotContain("kd94hf93k423kf44")
        .doesNotContain("pfkkdhi9sl3r4s00")
        .doesNotContain("nnch734d00sl2jdk");
    assertThat(PHOTOS.redact("bad secret kd94hf93k423kf44 / pfkkdhi9sl3r4s00"))
        .isEqualTo("bad secret *** / ***");
  }
}
