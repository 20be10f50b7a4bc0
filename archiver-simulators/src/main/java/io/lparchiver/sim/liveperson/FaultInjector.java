package io.lparchiver.sim.liveperson;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Applies a {@link Faults} plan and counts what it injected. Thread-safe. */
final class FaultInjector {

  /** Request-level faults, in the round-robin order of the plan. */
  enum RequestFault {
    TOO_MANY_REQUESTS,
    SERVER_ERROR,
    DROPPED_CONNECTION,
    PARTIAL_RESULT,
    STALLED
  }

  private static final List<RequestFault> ROTATION = List.of(RequestFault.values());

  private final Faults plan;
  private final Map<RequestFault, Integer> remaining = new EnumMap<>(RequestFault.class);
  private final Map<RequestFault, Integer> injected = new EnumMap<>(RequestFault.class);
  private final Set<String> partialRecordIds = new HashSet<>();
  private long searches;
  private int rotation;

  FaultInjector(Faults plan) {
    this.plan = plan;
    remaining.put(RequestFault.TOO_MANY_REQUESTS, plan.tooManyRequests());
    remaining.put(RequestFault.SERVER_ERROR, plan.serverErrors());
    remaining.put(RequestFault.DROPPED_CONNECTION, plan.droppedConnections());
    remaining.put(RequestFault.PARTIAL_RESULT, plan.partialResults());
    remaining.put(RequestFault.STALLED, plan.stalledResponses());
    for (RequestFault f : RequestFault.values()) {
      injected.put(f, 0);
    }
  }

  Duration stallFor() {
    return plan.stallFor();
  }

  /** How a stalled answer is held: odd-numbered stalls before the headers, even ones mid-body. */
  synchronized SimResponse.Cut stallKind() {
    return injected.get(RequestFault.STALLED) % 2 == 1
        ? SimResponse.Cut.STALL_BEFORE_HEADERS
        : SimResponse.Cut.STALL_MID_BODY;
  }

  int retryAfterSeconds() {
    return plan.retryAfterSeconds();
  }

  /** Called once per valid search; says which fault, if any, this one gets. */
  synchronized Optional<RequestFault> nextSearch() {
    searches++;
    if (searches == 1 || searches % plan.spacing() != 0) {
      return Optional.empty();
    }
    for (int i = 0; i < ROTATION.size(); i++) {
      RequestFault candidate = ROTATION.get((rotation + i) % ROTATION.size());
      if (remaining.get(candidate) > 0) {
        remaining.merge(candidate, -1, Integer::sum);
        injected.merge(candidate, 1, Integer::sum);
        rotation = (ROTATION.indexOf(candidate) + 1) % ROTATION.size();
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether this record goes out truncated in a search page. A record once chosen stays partial in
   * search, like a record that is too large for the search path.
   */
  synchronized boolean partialInSearch(String conversationId, boolean eligible) {
    if (partialRecordIds.contains(conversationId)) {
      return true;
    }
    if (!eligible || partialRecordIds.size() >= plan.partialRecords()) {
      return false;
    }
    partialRecordIds.add(conversationId);
    return true;
  }

  synchronized FaultCounters counters() {
    return new FaultCounters(
        injected.get(RequestFault.TOO_MANY_REQUESTS),
        injected.get(RequestFault.SERVER_ERROR),
        injected.get(RequestFault.PARTIAL_RESULT),
        partialRecordIds.size(),
        injected.get(RequestFault.DROPPED_CONNECTION),
        injected.get(RequestFault.STALLED));
  }
}
