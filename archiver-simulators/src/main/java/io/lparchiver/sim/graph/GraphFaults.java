package io.lparchiver.sim.graph;

import java.time.Duration;

/**
 * A deterministic fault plan for mailbox requests (token and user lookups never fault).
 *
 * <p>Every {@code spacing}-th mailbox request (counted over all mailboxes) gets the next fault,
 * round-robin over 429, 503 and dropped connection, skipping kinds whose budget is used up. 429 and
 * 503 are answered before the request is executed; a dropped connection is cut <em>after</em> the
 * write was committed (the ambiguous case a client must resolve with a lookup). Upload-session
 * chunks get only 429 and 503. {@code latency} is how long every mailbox request takes, counted in
 * flight, so concurrency limits are exercised: the simulator's own work is done within it. A
 * stalled response (read or write, executed first like a dropped one) sends the headers and half of
 * the body, then nothing for {@code stallFor}, then the connection is cut: a client without a
 * deadline on the whole exchange hangs.
 *
 * @param tooManyRequests budget of 429 {@code ApplicationThrottled} responses
 * @param retryAfter their {@code Retry-After} value in seconds, integer or decimal ("1", "0.5")
 * @param serviceUnavailable budget of 503 responses (with the same Retry-After)
 * @param droppedConnections budget of responses cut off after the request was executed
 * @param spacing every how many mailbox requests a fault is injected (at least 1)
 * @param latency the time every mailbox request takes (more only when the work itself does)
 * @param stalledResponses budget of responses held for {@code stallFor}, then cut
 * @param stallFor how long a stalled response is held
 */
public record GraphFaults(
    int tooManyRequests,
    String retryAfter,
    int serviceUnavailable,
    int droppedConnections,
    int spacing,
    Duration latency,
    int stalledResponses,
    Duration stallFor) {

  public GraphFaults {
    if (tooManyRequests < 0
        || serviceUnavailable < 0
        || droppedConnections < 0
        || stalledResponses < 0) {
      throw new IllegalArgumentException("fault budgets must not be negative");
    }
    if (spacing < 1) {
      throw new IllegalArgumentException("spacing must be at least 1");
    }
    Double.parseDouble(retryAfter);
  }

  /** A plan without stalls. */
  public GraphFaults(
      int tooManyRequests,
      String retryAfter,
      int serviceUnavailable,
      int droppedConnections,
      int spacing,
      Duration latency) {
    this(
        tooManyRequests,
        retryAfter,
        serviceUnavailable,
        droppedConnections,
        spacing,
        latency,
        0,
        Duration.ZERO);
  }

  /** The same plan with {@code n} responses held for {@code hold}, then cut. */
  public GraphFaults withStalls(int n, Duration hold) {
    return new GraphFaults(
        tooManyRequests,
        retryAfter,
        serviceUnavailable,
        droppedConnections,
        spacing,
        latency,
        n,
        hold);
  }

  public static GraphFaults none() {
    return new GraphFaults(0, "1", 0, 0, 1, Duration.ZERO);
  }

  /** A few of each kind with short waits: for tests and {@code demo --faults}. */
  public static GraphFaults standard() {
    return new GraphFaults(5, "0.2", 3, 3, 7, Duration.ofMillis(5));
  }

  public GraphFaults withLatency(Duration latency) {
    return new GraphFaults(
        tooManyRequests,
        retryAfter,
        serviceUnavailable,
        droppedConnections,
        spacing,
        latency,
        stalledResponses,
        stallFor);
  }
}
