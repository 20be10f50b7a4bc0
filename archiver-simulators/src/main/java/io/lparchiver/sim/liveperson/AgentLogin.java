package io.lparchiver.sim.liveperson;

import java.util.Objects;

/**
 * The one agent (or bot) user the simulated Login Service accepts, as {@code {"username",
 * "password"}} on {@code POST /api/account/{id}/login?v=1.3}.
 */
public record AgentLogin(String username, String password) {

  public AgentLogin {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** Fixed, deliberately non-secret values for the demo and tests. */
  public static AgentLogin demo() {
    return new AgentLogin("lp-archiver-files", "demo-agent-password");
  }

  @Override
  public String toString() {
    return "AgentLogin[username=" + username + ", password=***]";
  }
}
