package io.lparchiver.source.liveperson;

import java.time.Duration;
import java.util.Objects;

/**
 * How LivePerson calls are timed and retried. A retry is spent on 429, 5xx, I/O errors (dropped
 * connections) and incomplete answers ({@code partialResult} pages, cut-off bodies).
 *
 * @param maxAttempts attempts per call, including the first
 * @param initialBackoff wait before the first retry; doubles on each further retry
 * @param maxBackoff cap on the exponential wait
 * @param maxRetryAfter cap on a server's {@code Retry-After}, so a bad header cannot stall a run
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout time allowed for one response
 * @param maxRefetches attempts to get a whole record for one {@code isPartial} record
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxRetryAfter,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRefetches) {

  public RetryPolicy {
    if (maxAttempts < 1 || maxRefetches < 1) {
      throw new IllegalArgumentException("maxAttempts and maxRefetches must be at least 1");
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /**
   * LivePerson's retry guidance (5/10/15 s for 5xx) stretched to six attempts: a short outage or a
   * burst of 429s is ridden out; a longer one fails the window, which the next run retries.
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        6,
        Duration.ofSeconds(2),
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(120),
        3);
  }

  /** Exponential wait before retry number {@code retry} (1-based), without jitter. */
  Duration backoff(int retry) {
    Duration wait = initialBackoff;
    for (int i = 1; i < retry && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
