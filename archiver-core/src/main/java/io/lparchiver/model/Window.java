package io.lparchiver.model;

import java.time.Instant;

/**
 * A half-open time range [from, to) of conversation start times to fetch.
 *
 * @param from inclusive start
 * @param to exclusive end
 */
public record Window(Instant from, Instant to) {

  public Window {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("window must end after it starts: " + from + " .. " + to);
    }
  }
}
