package io.lparchiver.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

  /** Consecutive windows of at most {@code max} covering this one, oldest first. */
  public List<Window> split(Duration max) {
    List<Window> parts = new ArrayList<>();
    Instant start = from;
    while (start.isBefore(to)) {
      Instant end = start.plus(max).isBefore(to) ? start.plus(max) : to;
      parts.add(new Window(start, end));
      start = end;
    }
    return parts;
  }
}
