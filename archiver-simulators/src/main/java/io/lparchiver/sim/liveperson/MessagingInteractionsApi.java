package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Messaging Interactions API (reference section 3): bulk search and search by id. */
final class MessagingInteractionsApi {
  static final long TEN_MINUTES_MS = 600_000L;

  /** "3 months" as LivePerson checks it is not documented to the day; 92 days is our reading. */
  static final long MAX_WINDOW_MS = 92L * 86_400_000L;

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 100;
  static final int MAX_SOURCE_LENGTH = 20;

  static final List<String> SECTIONS =
      List.of(
          "campaign",
          "messageRecords",
          "agentParticipants",
          "agentParticipantsLeave",
          "agentParticipantsActive",
          "consumerParticipants",
          "transfers",
          "interactions",
          "messageScores",
          "messageStatuses",
          "conversationSurveys",
          "coBrowseSessions",
          "summary",
          "sdes",
          "unAuthSdes",
          "monitoring",
          "dialogs",
          "responseTime",
          "skillChanges",
          "intents",
          "uniqueIntents",
          "latestAgentSurvey",
          "previouslySubmittedAgentSurveys");

  /** Returned when contentToRetrieve is absent (reference 3.3). */
  static final Set<String> DEFAULT_SECTIONS =
      Set.of(
          "campaign",
          "messageRecords",
          "agentParticipants",
          "agentParticipantsLeave",
          "agentParticipantsActive",
          "consumerParticipants",
          "transfers",
          "interactions",
          "messageScores",
          "messageStatuses",
          "conversationSurveys",
          "coBrowseSessions",
          "summary",
          "sdes");

  private static final Set<String> SUPPORTED_FIELDS =
      Set.of("start", "end", "status", "latestUpdateTime", "contentToRetrieve");

  /** Valid in the real API but not simulated: rejected rather than silently ignored. */
  private static final Set<String> UNSIMULATED_FIELDS =
      Set.of(
          "skillIds",
          "latestSkillIds",
          "agentIds",
          "latestAgentIds",
          "agentGroupIds",
          "keyword",
          "summary",
          "duration",
          "mcs",
          "csat",
          "nps",
          "alertedMcsValues",
          "fcr",
          "source",
          "device",
          "messageContentTypes",
          "latestConversationQueueState",
          "sdeSearch",
          "responseTime",
          "surveyIds",
          "questionBrick",
          "answerText",
          "invalidFreeTextAnswer",
          "surveyBotConversations",
          "questionTypeAndFormatToRetrieve",
          "selectedIntentOnly",
          "conversationsWithStepUpOnly",
          "agentSurveySearch");

  private final SeededDataSet data;
  private final Clock clock;
  private final FaultInjector faults;
  private final String origin;

  /**
   * @param origin scheme://host:port used in {@code _metadata.self.href}
   */
  MessagingInteractionsApi(SeededDataSet data, Clock clock, FaultInjector faults, String origin) {
    this.data = data;
    this.clock = clock;
    this.faults = faults;
    this.origin = origin;
  }

  SimResponse search(SimRequest req) throws ApiException {
    requireSource(req);
    Paging paging = Paging.parse(req);
    Filter filter = Filter.parse(readObject(req), clock.millis());
    Optional<FaultInjector.RequestFault> fault = faults.nextSearch();
    if (fault.isPresent() && fault.get() == FaultInjector.RequestFault.TOO_MANY_REQUESTS) {
      return SimResponse.error(
          429,
          "Too many requests",
          Map.of("Retry-After", String.valueOf(faults.retryAfterSeconds())));
    }
    if (fault.isPresent() && fault.get() == FaultInjector.RequestFault.SERVER_ERROR) {
      return SimResponse.error(500, "Internal server error (simulated)");
    }
    Stream<SeededDataSet.Entry> found = data.entries().stream().filter(filter::matches);
    if (paging.order().isPresent()) {
      found = found.sorted(paging.order().get());
    }
    List<SeededDataSet.Entry> matches = found.toList();
    int from = (int) Math.min(paging.offset(), matches.size());
    int to = (int) Math.min((long) from + paging.limit(), matches.size());
    List<SeededDataSet.Entry> page = matches.subList(from, to);
    boolean partialResult =
        fault.isPresent() && fault.get() == FaultInjector.RequestFault.PARTIAL_RESULT;
    if (partialResult) {
      page = page.subList(0, page.size() / 2); // a failed shard: the rest of the page is missing
    }
    ArrayNode records = SimResponse.JSON.createArrayNode();
    long now = clock.millis();
    for (SeededDataSet.Entry e : page) {
      records.add(searchRecord(e, filter.sections(), paging.v2(), now));
    }
    SimResponse response =
        SimResponse.json(200, envelope(req, matches.size(), partialResult, records));
    boolean drop =
        fault.isPresent() && fault.get() == FaultInjector.RequestFault.DROPPED_CONNECTION;
    if (fault.isPresent() && fault.get() == FaultInjector.RequestFault.STALLED) {
      return response.cutOff(faults.stallKind());
    }
    return drop ? response.droppedMidBody() : response;
  }

  /** By id: every section, never partial, unauthenticated SDEs included. */
  SimResponse byId(SimRequest req) throws ApiException {
    requireSource(req);
    ObjectNode body = readObject(req);
    JsonNode id = body.get("conversationId");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new ApiException(400, "conversationId is required");
    }
    ArrayNode records = SimResponse.JSON.createArrayNode();
    Optional<SeededDataSet.Entry> entry = data.entry(id.asText());
    entry.ifPresent(e -> records.add(withRunningDuration(e, clock.millis())));
    return SimResponse.json(200, envelope(req, records.size(), false, records));
  }

  private ObjectNode searchRecord(
      SeededDataSet.Entry e, Set<String> sections, boolean v2, long now) {
    ObjectNode rec = withRunningDuration(e, now);
    boolean eligible = rec.path("messageRecords").size() >= 2;
    Iterator<Map.Entry<String, JsonNode>> fields = rec.fields();
    while (fields.hasNext()) {
      String key = fields.next().getKey();
      if (!"info".equals(key) && !sections.contains(sectionOf(key))) {
        fields.remove();
      }
    }
    if (!v2) {
      rec.remove("unAuthSdes"); // v1 returns authenticated SDEs only
    }
    if (faults.partialInSearch(e.id(), eligible)) {
      ((ObjectNode) rec.get("info")).put("isPartial", true);
      if (rec.get("messageRecords") instanceof ArrayNode messages) {
        int keep = messages.size() / 2;
        while (messages.size() > keep) {
          messages.remove(messages.size() - 1);
        }
      }
    }
    return rec;
  }

  /** An open conversation's duration runs up to the time of retrieval. */
  private static ObjectNode withRunningDuration(SeededDataSet.Entry e, long now) {
    ObjectNode rec = e.record();
    if (e.open()) {
      ((ObjectNode) rec.get("info")).put("duration", Math.max(0, now - e.startL()));
    }
    return rec;
  }

  /** Both spellings of the consumer participants key belong to one section (reference 9.1). */
  private static String sectionOf(String key) {
    return switch (key) {
      case "consumerParticipant" -> "consumerParticipants";
      case "messageScore" -> "messageScores";
      default -> key;
    };
  }

  private ObjectNode envelope(SimRequest req, int count, boolean partial, ArrayNode records) {
    ObjectNode body = SimResponse.JSON.createObjectNode();
    ObjectNode meta = body.putObject("_metadata");
    meta.put("count", count);
    ObjectNode self = meta.putObject("self");
    self.put("rel", "self");
    self.put("href", origin + req.rawPath() + (req.rawQuery() == null ? "" : "?" + req.rawQuery()));
    meta.putObject("shardsStatusResult").put("partialResult", partial);
    body.set("conversationHistoryRecords", records);
    return body;
  }

  static void requireSource(SimRequest req) throws ApiException {
    String source = req.param("source").orElse("");
    if (source.isEmpty()) {
      throw new ApiException(400, "query parameter source is required");
    }
    if (source.length() > MAX_SOURCE_LENGTH) {
      throw new ApiException(400, "source must be at most 20 characters");
    }
  }

  static ObjectNode readObject(SimRequest req) throws ApiException {
    if (req.body().length == 0) {
      throw new ApiException(400, "request body must be a JSON object");
    }
    JsonNode node;
    try {
      node = SimResponse.JSON.readTree(req.body());
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "request body is not valid JSON");
    } catch (IOException e) {
      throw new ApiException(400, "request body cannot be read");
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(400, "request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** Query parameters of a bulk search. */
  record Paging(
      long offset, int limit, Optional<Comparator<SeededDataSet.Entry>> order, boolean v2) {

    static Paging parse(SimRequest req) throws ApiException {
      String v = req.param("v").orElse("1");
      if (!"1".equals(v) && !"2".equals(v)) {
        throw new ApiException(400, "v must be 1 or 2");
      }
      return new Paging(
          offset(req), limit(req), order(req.param("sort").orElse(null)), "2".equals(v));
    }

    /** Zero-based {@code offset}, shared with the Engagement History search. */
    static long offset(SimRequest req) throws ApiException {
      long offset = number(req, "offset", 0);
      if (offset < 0) {
        throw new ApiException(400, "offset must be zero or more");
      }
      return offset;
    }

    /** {@code limit} 1..100, default 50, shared with the Engagement History search. */
    static int limit(SimRequest req) throws ApiException {
      long limit = number(req, "limit", DEFAULT_LIMIT);
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new ApiException(400, "limit must be between 1 and " + MAX_LIMIT);
      }
      return (int) limit;
    }

    private static long number(SimRequest req, String name, long dflt) throws ApiException {
      Optional<String> raw = req.param(name);
      if (raw.isEmpty()) {
        return dflt;
      }
      try {
        return Long.parseLong(raw.get());
      } catch (NumberFormatException e) {
        throw new ApiException(400, name + " must be a number");
      }
    }

    /** No sort: storage order, which a client must not rely on (reference 9.3). */
    private static Optional<Comparator<SeededDataSet.Entry>> order(String sort)
        throws ApiException {
      if (sort == null) {
        return Optional.empty();
      }
      Comparator<SeededDataSet.Entry> byId = Comparator.comparing(SeededDataSet.Entry::id);
      return Optional.of(
          switch (sort) {
            case "start:asc" ->
                Comparator.comparingLong(SeededDataSet.Entry::startL).thenComparing(byId);
            case "start:desc" ->
                Comparator.comparingLong(SeededDataSet.Entry::startL)
                    .thenComparing(byId)
                    .reversed();
            case "end:asc" ->
                Comparator.comparingLong(SeededDataSet.Entry::endL).thenComparing(byId);
            case "end:desc" ->
                Comparator.comparingLong(SeededDataSet.Entry::endL).thenComparing(byId).reversed();
            default ->
                throw new ApiException(
                    400, "sort must be start:asc, start:desc, end:asc or end:desc");
          });
    }
  }

  /** The search body, validated, with bounds already rounded outward to 10 minutes. */
  record Filter(
      long startFrom,
      long startTo,
      Long endFrom,
      Long endTo,
      Set<String> statuses,
      Long updatedFrom,
      Set<String> sections) {

    static Filter parse(ObjectNode body, long now) throws ApiException {
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
      JsonNode start = body.get("start");
      if (start == null || start.isNull()) {
        throw new ApiException(400, "start {from,to} is required");
      }
      long[] startRange = range("start", start, now);
      long[] endRange = body.has("end") ? range("end", body.get("end"), now) : null;
      return new Filter(
          startRange[0],
          startRange[1],
          endRange == null ? null : endRange[0],
          endRange == null ? null : endRange[1],
          statuses(body.get("status")),
          updatedFrom(body.get("latestUpdateTime")),
          sections(body.get("contentToRetrieve")));
    }

    boolean matches(SeededDataSet.Entry e) {
      if (e.startL() < startFrom || e.startL() > startTo) {
        return false;
      }
      if (endFrom != null && (e.endL() < 0 || e.endL() < endFrom || e.endL() > endTo)) {
        return false;
      }
      if (!statuses.isEmpty() && !statuses.contains(e.open() ? "OPEN" : "CLOSE")) {
        return false;
      }
      return updatedFrom == null || e.lastUpdateL() >= updatedFrom;
    }

    /** Checks the 3-month cap on the bounds as sent, then rounds them outward. */
    private static long[] range(String name, JsonNode node, long now) throws ApiException {
      if (!node.isObject() || !node.path("from").isIntegralNumber()) {
        throw new ApiException(400, name + ".from is required (epoch milliseconds)");
      }
      if (!node.path("to").isIntegralNumber()) {
        throw new ApiException(400, name + ".to is required (epoch milliseconds)");
      }
      long from = node.get("from").asLong();
      long to = node.get("to").asLong();
      if (to == -1) {
        to = now; // a doc example uses -1; reading it as "now" is unconfirmed
      }
      if (from < 0 || to < from) {
        throw new ApiException(400, name + ".from must be >= 0 and not after " + name + ".to");
      }
      if (to - from > MAX_WINDOW_MS) {
        throw new ApiException(
            400, name + " window is over 3 months (92 days); split it into smaller windows");
      }
      long roundedFrom = Math.floorDiv(from, TEN_MINUTES_MS) * TEN_MINUTES_MS;
      long roundedTo = -Math.floorDiv(-to, TEN_MINUTES_MS) * TEN_MINUTES_MS;
      return new long[] {roundedFrom, roundedTo};
    }

    private static Set<String> statuses(JsonNode node) throws ApiException {
      Set<String> result = new HashSet<>();
      if (node == null || node.isNull()) {
        return result;
      }
      if (!node.isArray()) {
        throw new ApiException(400, "status must be an array of OPEN and/or CLOSE");
      }
      for (JsonNode s : node) {
        if (!"OPEN".equals(s.asText()) && !"CLOSE".equals(s.asText())) {
          throw new ApiException(400, "status values must be OPEN or CLOSE");
        }
        result.add(s.asText());
      }
      return result;
    }

    /** The table says long, the example says {"from": ms}: accept both, round down. */
    private static Long updatedFrom(JsonNode node) throws ApiException {
      if (node == null || node.isNull()) {
        return null;
      }
      JsonNode from = node.isObject() ? node.get("from") : node;
      if (from == null || !from.isIntegralNumber()) {
        throw new ApiException(400, "latestUpdateTime must be {\"from\": epochMillis}");
      }
      return Math.floorDiv(from.asLong(), TEN_MINUTES_MS) * TEN_MINUTES_MS;
    }

    private static Set<String> sections(JsonNode node) throws ApiException {
      if (node == null || node.isNull()) {
        return DEFAULT_SECTIONS;
      }
      if (!node.isArray()) {
        throw new ApiException(400, "contentToRetrieve must be an array");
      }
      Set<String> result = new LinkedHashSet<>();
      for (JsonNode s : node) {
        if (!SECTIONS.contains(s.asText())) {
          throw new ApiException(400, "unknown contentToRetrieve value " + s.asText());
        }
        result.add(s.asText());
      }
      return result;
    }
  }
}
