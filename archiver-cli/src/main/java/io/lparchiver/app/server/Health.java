package io.lparchiver.app.server;

import java.util.Locale;

/**
 * The connector's state as the status page, {@code /api/status} and alerts show it.
 *
 * @param level healthy, degraded or failing
 * @param reason why, in one sentence with what to do
 */
public record Health(Level level, String reason) {

  /** Worst last. */
  public enum Level {
    HEALTHY,
    DEGRADED,
    FAILING;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
