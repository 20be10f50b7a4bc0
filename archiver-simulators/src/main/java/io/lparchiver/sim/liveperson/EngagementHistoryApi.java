package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Engagement History API (reference section 4): the legacy chat search. Differences from Messaging
 * Interactions that clients must handle: a 1-month window cap, {@code source} required, <b>204 No
 * Content</b> when nothing matches, and throttling answered as <b>302 "Too many requests"</b> (the
 * plan's {@code tooManyRequests} faults; the 302 carries a {@code Location} on this server that a
 * client must never follow). A body with {@code engagementId} switches off the time limits, returns
 * that chat whole and never faults, like MI's by-id endpoint.
 */
final class EngagementHistoryApi {

  /** "1 month" as sent: 31 days between from and to, before rounding. */
  static final long MAX_WINDOW_MS = 31L * 86_400_000L;

  static final String THROTTLE_LOCATION = "/interaction_history/too-many-requests";

  private static final Set<String> SUPPORTED_FIELDS =
      Set.of("start", "engagementId", "interactive", "ended");

  /** Valid in the real API but not simulated: rejected rather than silently ignored. */
  private static final Set<String> UNSIMULATED_FIELDS =
      Set.of(
          "skillIds",
          "agentIds",
          "agentGroupIds",
          "duration",
          "keyword",
          "keyword_search_area",
          "visitor",
          "channel",
          "alertedMcsValues",
          "chatMCS",
          "hasInteractiveCoBrowse",
          "coBrowseDuration",
          "lineContentTypes",
          "predictionLabel");

  private static final Set<String> SORT_FIELDS =
      Set.of(
          "start",
          "end",
          "duration",
          "visitor",
          "engagementId",
          "interactive",
          "agentId",
          "skillId");

  /** The page asked for. */
  private record Slice(long offset, int limit) {}

  private final SeededDataSet data;
  private final FaultInjector faults;
  private final String origin;

  /**
   * @param origin scheme://host:port used in the {@code _metadata} links
   */
  EngagementHistoryApi(SeededDataSet data, FaultInjector faults, String origin) {
    this.data = data;
    this.faults = faults;
    this.origin = origin;
  }

  SimResponse search(SimRequest req) throws ApiException {
    MessagingInteractionsApi.requireSource(req);
    Slice paging =
        new Slice(
            MessagingInteractionsApi.Paging.offset(req),
            MessagingInteractionsApi.Paging.limit(req));
    Comparator<SeededDataSet.ChatEntry> order = order(req.param("sort").orElse("start:asc"));
    ObjectNode body = MessagingInteractionsApi.readObject(req);
    checkFields(body);
    if (body.hasNonNull("engagementId")) {
      return byEngagementId(req, paging, engagementId(body.get("engagementId")));
    }
    long[] start = window(body.get("start"));
    boolean endedOnly = !body.has("ended") || body.get("ended").asBoolean(true);
    Optional<FaultInjector.RequestFault> fault = faults.nextSearch();
    if (fault.isPresent() && fault.get() == FaultInjector.RequestFault.TOO_MANY_REQUESTS) {
      return SimResponse.error(302, "Too many requests", Map.of("Location", THROTTLE_LOCATION));
    }
    if (fault.isPresent() && fault.get() == FaultInjector.RequestFault.SERVER_ERROR) {
      return SimResponse.error(500, "internal error 0007: Elastic search failed (simulated)");
    }
    List<SeededDataSet.ChatEntry> matches =
        data.chatEntries().stream()
            .filter(c -> endedOnly && c.startL() >= start[0] && c.startL() <= start[1])
            .sorted(order)
            .toList();
    if (matches.isEmpty()) {
      return new SimResponse(204, new byte[0], Map.of(), SimResponse.Cut.NONE);
    }
    int from = (int) Math.min(paging.offset(), matches.size());
    List<SeededDataSet.ChatEntry> page =
        matches.subList(from, (int) Math.min((long) from + paging.limit(), matches.size()));
    boolean partialResult =
        fault.isPresent() && fault.get() == FaultInjector.RequestFault.PARTIAL_RESULT;
    if (partialResult) {
      page = page.subList(0, page.size() / 2);
    }
    ArrayNode records = SimResponse.JSON.createArrayNode();
    page.forEach(c -> records.add(searchRecord(c)));
    SimResponse response =
        SimResponse.json(200, envelope(req, paging, matches.size(), partialResult, records));
    boolean drop =
        fault.isPresent() && fault.get() == FaultInjector.RequestFault.DROPPED_CONNECTION;
    if (fault.isPresent() && fault.get() == FaultInjector.RequestFault.STALLED) {
      return response.cutOff(faults.stallKind());
    }
    return drop ? response.droppedMidBody() : response;
  }

  /**
   * The reference's "when used, all time limitations are ignored": {@code start} may be absent,
   * over a month or far from the chat, and is not applied. Paged like any search (one match at
   * most, so an offset past it is 204). Never partial, never faulted; 204 for an unknown id.
   */
  private SimResponse byEngagementId(SimRequest req, Slice paging, String engagementId) {
    Optional<SeededDataSet.ChatEntry> chat = data.chatEntry(engagementId);
    if (chat.isEmpty() || paging.offset() > 0) {
      return new SimResponse(204, new byte[0], Map.of(), SimResponse.Cut.NONE);
    }
    ObjectNode whole = chat.get().record();
    ((ObjectNode) whole.get("info")).put("chatDataEnriched", true);
    ArrayNode records = SimResponse.JSON.createArrayNode().add(whole);
    return SimResponse.json(200, envelope(req, paging, 1, false, records));
  }

  /** The docs type the filter as numeric, the response's id is a string: both are accepted. */
  private static String engagementId(JsonNode value) throws ApiException {
    if (value.isTextual() && !value.asText().isBlank() || value.isIntegralNumber()) {
      return value.asText();
    }
    throw new ApiException(400, "engagementId must be a number or a string of digits");
  }

  /** A chat picked for the partial-record fault goes out with half its lines, not enriched. */
  private ObjectNode searchRecord(SeededDataSet.ChatEntry c) {
    ObjectNode rec = c.record();
    JsonNode lines = rec.path("transcript").path("lines");
    if (faults.partialInSearch(c.id(), lines.size() >= 2)) {
      ObjectNode info = (ObjectNode) rec.get("info");
      info.put("isPartial", true);
      info.put("chatDataEnriched", false);
      ArrayNode kept = (ArrayNode) lines;
      int keep = kept.size() / 2;
      while (kept.size() > keep) {
        kept.remove(kept.size() - 1);
      }
    }
    return rec;
  }

  private static void checkFields(ObjectNode body) throws ApiException {
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (UNSIMULATED_FIELDS.contains(name)) {
        throw new ApiException(400, "filter " + name + " is not supported by the simulator");
      }
      if (!SUPPORTED_FIELDS.contains(name)) {
        throw new ApiException(400, "unknown field " + name);
      }
    }
    JsonNode interactive = body.get("interactive");
    if (interactive != null && !interactive.asBoolean(false)) {
      throw new ApiException(400, "interactive: only true is supported");
    }
  }

  /** Checks the 1-month cap on the bounds as sent, then rounds them outward to 10 minutes. */
  private static long[] window(JsonNode start) throws ApiException {
    if (start == null || !start.isObject() || !start.path("from").isIntegralNumber()) {
      throw new ApiException(400, "start.from is required (epoch milliseconds)");
    }
    if (!start.path("to").isIntegralNumber()) {
      throw new ApiException(400, "start.to is required (epoch milliseconds)");
    }
    long from = start.get("from").asLong();
    long to = start.get("to").asLong();
    if (from < 0 || to < from) {
      throw new ApiException(400, "start.from must be >= 0 and not after start.to");
    }
    if (to - from > MAX_WINDOW_MS) {
      throw new ApiException(
          400, "start window is over 1 month (31 days); split it into smaller windows");
    }
    long ten = MessagingInteractionsApi.TEN_MINUTES_MS;
    return new long[] {Math.floorDiv(from, ten) * ten, -Math.floorDiv(-to, ten) * ten};
  }

  /** {@code start:asc}, several comma-joined; start, end, duration, engagementId simulated. */
  private static Comparator<SeededDataSet.ChatEntry> order(String sort) throws ApiException {
    Comparator<SeededDataSet.ChatEntry> order = null;
    for (String part : sort.split(",", -1)) {
      String[] fieldDir = part.strip().split(":", -1);
      if (fieldDir.length != 2 || !SORT_FIELDS.contains(fieldDir[0])) {
        throw new ApiException(400, "sort must be field:asc|desc with field one of " + SORT_FIELDS);
      }
      Comparator<SeededDataSet.ChatEntry> one =
          switch (fieldDir[0]) {
            case "start" -> Comparator.comparingLong(SeededDataSet.ChatEntry::startL);
            case "end" -> Comparator.comparingLong(SeededDataSet.ChatEntry::endL);
            case "duration" -> Comparator.comparingLong(SeededDataSet.ChatEntry::duration);
            case "engagementId" -> Comparator.comparing(SeededDataSet.ChatEntry::id);
            default -> throw new ApiException(400, "sort by " + fieldDir[0] + " is not simulated");
          };
      one =
          switch (fieldDir[1]) {
            case "asc" -> one;
            case "desc" -> one.reversed();
            default -> throw new ApiException(400, "sort direction must be asc or desc");
          };
      order = order == null ? one : order.thenComparing(one);
    }
    return order.thenComparing(SeededDataSet.ChatEntry::id); // ties: a stable page order
  }

  private ObjectNode envelope(
      SimRequest req, Slice paging, int count, boolean partial, ArrayNode records) {
    ObjectNode body = SimResponse.JSON.createObjectNode();
    ObjectNode meta = body.putObject("_metadata");
    meta.put("count", count);
    link(meta, "self", req, paging.offset(), paging.limit());
    if (paging.offset() + paging.limit() < count) {
      link(meta, "next", req, paging.offset() + paging.limit(), paging.limit());
    }
    long last = count == 0 ? 0 : (count - 1) / paging.limit() * paging.limit();
    link(meta, "last", req, last, paging.limit());
    ObjectNode shards = meta.putObject("shardsStatusResult");
    shards.put("failureShards", partial ? 1 : 0);
    shards.put("totalShards", 6);
    shards.put("partialResult", partial);
    body.set("interactionHistoryRecords", records);
    return body;
  }

  private void link(ObjectNode meta, String rel, SimRequest req, long offset, int limit) {
    StringBuilder query = new StringBuilder("?offset=").append(offset).append("&limit=");
    query.append(limit);
    for (String name : List.of("sort", "source")) {
      req.param(name)
          .ifPresent(
              v -> query.append('&').append(name).append('=').append(PercentCodec.encode(v)));
    }
    ObjectNode link = meta.putObject(rel);
    link.put("rel", rel);
    link.put("href", origin + req.rawPath() + query);
  }
}
