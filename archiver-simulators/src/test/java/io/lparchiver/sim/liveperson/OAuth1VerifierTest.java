package io.lparchiver.sim.liveperson;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Checks the verifier against the published OAuth 1.0 example (photos.example.net). */
class OAuth1VerifierTest {
  private static final SimulatorCredentials CREDS =
      new SimulatorCredentials(
          "dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");

  private static String header(String signature) {
    return "OAuth realm=\"http://photos.example.net/\", oauth_consumer_key=\"dpf43f3p2l4k3l03\","
        + " oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\","
        + " oauth_signature=\""
        + signature
        + "\", oauth_timestamp=\"1191242096\", oauth_nonce=\"kllo9940pd9333jh\","
        + " oauth_version=\"1.0\"";
  }

  @Test
  void acceptsTheSpecExampleIncludingDefaultPortAndQuery() {
    OAuth1Verifier v = new OAuth1Verifier(CREDS);
    assertThatCode(
            () ->
                v.verify(
                    "GET",
                    "photos.example.net:80",
                    "/photos",
                    "file=vacation.jpg&size=original",
                    header("tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D")))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsAChangedQueryOrMethod() {
    OAuth1Verifier v = new OAuth1Verifier(CREDS);
    String h = header("tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D");
    assertThatThrownBy(
            () ->
                v.verify("GET", "photos.example.net", "/photos", "file=other.jpg&size=original", h))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("signature");
    assertThatThrownBy(
            () ->
                v.verify(
                    "POST", "photos.example.net", "/photos", "file=vacation.jpg&size=original", h))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> v.verify("GET", "photos.example.net", "/photos", null, "Bearer x"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("not an OAuth");
  }
}
