package io.lparchiver.sim.liveperson;

/**
 * How many faults of each kind the simulator has injected so far.
 *
 * @param tooManyRequests searches answered 429 with Retry-After
 * @param serverErrors searches answered 500
 * @param partialResults pages sent with {@code partialResult:true} and records missing
 * @param partialRecords distinct conversations sent in search pages with {@code isPartial:true}
 * @param droppedConnections responses cut off after the headers and part of the body
 * @param stalledResponses responses held past the client's timeout, then cut off
 */
public record FaultCounters(
    int tooManyRequests,
    int serverErrors,
    int partialResults,
    int partialRecords,
    int droppedConnections,
    int stalledResponses) {

  /** Counters of a plan without stalls. */
  public FaultCounters(
      int tooManyRequests,
      int serverErrors,
      int partialResults,
      int partialRecords,
      int droppedConnections) {
    this(tooManyRequests, serverErrors, partialResults, partialRecords, droppedConnections, 0);
  }

  public int total() {
    return tooManyRequests
        + serverErrors
        + partialResults
        + partialRecords
        + droppedConnections
        + stalledResponses;
  }
}
