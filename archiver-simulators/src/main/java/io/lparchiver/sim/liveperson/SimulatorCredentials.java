package io.lparchiver.sim.liveperson;

import java.util.Objects;

/**
 * The four values of a LivePerson OAuth 1.0a app key that the simulator accepts.
 *
 * @param consumerKey the app key
 * @param consumerSecret the app secret
 * @param token the access token
 * @param tokenSecret the access token secret
 */
public record SimulatorCredentials(
    String consumerKey, String consumerSecret, String token, String tokenSecret) {

  public SimulatorCredentials {
    Objects.requireNonNull(consumerKey, "consumerKey");
    Objects.requireNonNull(consumerSecret, "consumerSecret");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tokenSecret, "tokenSecret");
  }

  /** Fixed, deliberately non-secret values for the demo and tests. */
  public static SimulatorCredentials demo() {
    return new SimulatorCredentials(
        "demo-app-key", "demo-app-secret", "demo-access-token", "demo-access-token-secret");
  }

  /** Secrets never reach a log line through {@code toString}. */
  @Override
  public String toString() {
    return "SimulatorCredentials[consumerKey="
        + consumerKey
        + ", token="
        + token
        + ", secrets=***]";
  }
}
