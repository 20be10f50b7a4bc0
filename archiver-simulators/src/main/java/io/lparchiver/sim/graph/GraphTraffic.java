package io.lparchiver.sim.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Mailbox requests the simulator answered.
 *
 * @param perMailbox answered requests by mailbox (user id); only mailboxes that were used
 * @param heldPerMailbox how long the answered requests of each mailbox held its concurrency slots
 *     in all (the latency and the simulator's work within it): beside the window, how busy the
 *     mailbox was kept
 * @param first when the first was answered
 * @param last when the last was answered
 */
public record GraphTraffic(
    Map<String, Long> perMailbox,
    Map<String, Duration> heldPerMailbox,
    Optional<Instant> first,
    Optional<Instant> last) {

  public long requests() {
    return perMailbox.values().stream().mapToLong(Long::longValue).sum();
  }

  /** From the first answered request to the last; zero before any. */
  public Duration window() {
    return first.isPresent() && last.isPresent()
        ? Duration.between(first.get(), last.get())
        : Duration.ZERO;
  }
}
