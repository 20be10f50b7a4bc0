package io.lparchiver.source.liveperson;

import java.util.Objects;

/**
 * The four values of a LivePerson OAuth 1.0a app key ({@code source.liveperson.auth.*}).
 *
 * @param consumerKey the app key
 * @param consumerSecret the app secret
 * @param token the access token
 * @param tokenSecret the access token secret
 */
public record OAuth1Credentials(
    String consumerKey, String consumerSecret, String token, String tokenSecret) {

  private static final String MASK = "***";

  public OAuth1Credentials {
    Objects.requireNonNull(consumerKey, "consumerKey");
    Objects.requireNonNull(consumerSecret, "consumerSecret");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tokenSecret, "tokenSecret");
  }

  /** Replaces every secret in a text from outside (an error body) so it cannot reach a log. */
  String redact(String text) {
    String out = text;
    for (String secret : new String[] {consumerSecret, tokenSecret, token}) {
      if (secret.length() >= 4) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  /** Secrets are masked: this value ends up in logs and config dumps. */
  @Override
  public String toString() {
    return "OAuth1Credentials[consumerKey="
        + consumerKey
        + ", consumerSecret="
        + MASK
        + ", token="
        + MASK
        + ", tokenSecret="
        + MASK
        + "]";
  }
}
