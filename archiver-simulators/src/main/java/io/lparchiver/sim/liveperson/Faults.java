package io.lparchiver.sim.liveperson;

import java.time.Duration;
import java.util.Objects;

/**
 * A deterministic fault plan for the search endpoints (Messaging Interactions and Engagement
 * History share one plan and one search counter).
 *
 * <p>Semantics (the same for every run, so tests can rely on them):
 *
 * <ul>
 *   <li>Only bulk-search requests that pass authentication and validation are candidates; the by-id
 *       (and EH by-engagementId), Users and Domain endpoints never fault.
 *   <li>A {@code tooManyRequests} fault is answered the way each API throttles: 429 with {@code
 *       Retry-After} by Messaging Interactions, 302 "Too many requests" (with a {@code Location}
 *       that must not be followed) by Engagement History. Both count as {@code tooManyRequests}.
 *   <li>The first such search always succeeds (a client learns {@code count}). After that, every
 *       {@code spacing}-th search (default 2: the 2nd, 4th, 6th ...) gets the next request fault,
 *       taken round-robin from 429, 500, dropped connection and partial page, skipping kinds whose
 *       budget is used up. With the default spacing a fault is never followed by another, so one
 *       retry always gets through; {@code spacing(1)} makes bursts.
 *   <li>A stalled response is held longer than a client should wait, then the connection is cut:
 *       odd-numbered stalls hold before any header is sent, even-numbered ones after the headers
 *       and half of the body. It sits last in the rotation, so with the default spacing a retry
 *       after a stall gets through.
 *   <li>{@code partialRecords}: the first {@code n} distinct conversations with at least two
 *       messages served in a successful search page are marked {@code info.isPartial:true} with
 *       their messageRecords cut to the first half, in that and every later search page; the by-id
 *       endpoint always returns them whole. Chats alike: {@code isPartial:true}, {@code
 *       chatDataEnriched:false}, half the transcript lines; whole when asked by engagementId.
 * </ul>
 *
 * @param tooManyRequests budget of 429 responses
 * @param retryAfterSeconds value of their {@code Retry-After} header
 * @param serverErrors budget of 500 responses
 * @param partialResults budget of pages with {@code partialResult:true} and records missing
 * @param partialRecords budget of conversations served truncated with {@code isPartial:true}
 * @param droppedConnections budget of responses cut off mid-body
 * @param stalledResponses budget of responses held for {@code stallFor}, then cut off
 * @param stallFor how long a stalled response is held
 * @param spacing every how many searches a request fault is injected (at least 1)
 */
public record Faults(
    int tooManyRequests,
    int retryAfterSeconds,
    int serverErrors,
    int partialResults,
    int partialRecords,
    int droppedConnections,
    int stalledResponses,
    Duration stallFor,
    int spacing) {

  public Faults {
    if (tooManyRequests < 0
        || retryAfterSeconds < 0
        || serverErrors < 0
        || partialResults < 0
        || partialRecords < 0
        || droppedConnections < 0
        || stalledResponses < 0) {
      throw new IllegalArgumentException("fault budgets must not be negative");
    }
    Objects.requireNonNull(stallFor, "stallFor");
    if (stallFor.isNegative()) {
      throw new IllegalArgumentException("stallFor must not be negative");
    }
    if (spacing < 1) {
      throw new IllegalArgumentException("spacing must be at least 1");
    }
  }

  public static Faults none() {
    return builder().build();
  }

  /** Two of each kind, one second of Retry-After, default spacing. */
  public static Faults standard() {
    return builder()
        .tooManyRequests(2, 1)
        .serverErrors(2)
        .partialResults(2)
        .partialRecords(2)
        .droppedConnections(2)
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; every budget defaults to zero. */
  public static final class Builder {
    private int tooManyRequests;
    private int retryAfterSeconds = 1;
    private int serverErrors;
    private int partialResults;
    private int partialRecords;
    private int droppedConnections;
    private int stalledResponses;
    private Duration stallFor = Duration.ZERO;
    private int spacing = 2;

    private Builder() {}

    public Builder tooManyRequests(int n, int retryAfterSeconds) {
      this.tooManyRequests = n;
      this.retryAfterSeconds = retryAfterSeconds;
      return this;
    }

    public Builder serverErrors(int n) {
      this.serverErrors = n;
      return this;
    }

    public Builder partialResults(int n) {
      this.partialResults = n;
      return this;
    }

    public Builder partialRecords(int n) {
      this.partialRecords = n;
      return this;
    }

    public Builder droppedConnections(int n) {
      this.droppedConnections = n;
      return this;
    }

    /** {@code n} responses held for {@code hold} each (past the client's timeout), then cut. */
    public Builder stalledResponses(int n, Duration hold) {
      this.stalledResponses = n;
      this.stallFor = hold;
      return this;
    }

    public Builder spacing(int everyNthSearch) {
      this.spacing = everyNthSearch;
      return this;
    }

    public Faults build() {
      return new Faults(
          tooManyRequests,
          retryAfterSeconds,
          serverErrors,
          partialResults,
          partialRecords,
          droppedConnections,
          stalledResponses,
          stallFor,
          spacing);
    }
  }
}
