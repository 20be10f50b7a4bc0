package io.lparchiver.pipeline;

import java.time.Duration;

/**
 * How often and how patiently a retriable delivery failure is retried within a run before the copy
 * is dead-lettered (and retried by a later run).
 *
 * @param attempts total attempts, at least 1
 * @param firstBackoff pause before the second attempt; doubles each time
 * @param sleeper how to pause (tests pass a no-op)
 */
public record DeliveryRetry(int attempts, Duration firstBackoff, Sleeper sleeper) {

  /** Pauses the calling thread. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public DeliveryRetry {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
  }

  public static DeliveryRetry standard() {
    return new DeliveryRetry(4, Duration.ofMillis(250), d -> Thread.sleep(d.toMillis()));
  }

  Duration backoff(int attempt) {
    return firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 10));
  }
}
