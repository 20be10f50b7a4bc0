package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.Channel;
import io.lparchiver.model.RecentKeys;
import io.lparchiver.model.Window;
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.FetchRequest;
import io.lparchiver.source.PendingRecord;
import io.lparchiver.source.SourceRecord;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed messaging conversations from the Messaging Interactions API ({@code msgHist}).
 *
 * <p>A request window is split into sub-windows of at most {@link #MAX_WINDOW} (LivePerson refuses
 * more than 3 months), each paged with {@code sort=start:asc}, {@code limit=100} and a zero-based
 * offset until the offset reaches {@code _metadata.count}. Pages load lazily as the stream is
 * consumed. A page with {@code partialResult:true} is fetched again (bounded by the retry policy),
 * never accepted; a record with {@code info.isPartial:true} is fetched again by id. Records are
 * de-duplicated by conversation id within one fetch (LivePerson rounds bounds outward to 10
 * minutes, so neighbouring windows overlap; records just outside the window are kept, the pipeline
 * dedupes by id and fingerprint). Records not CLOSE are skipped defensively.
 *
 * <p>Each record's raw bytes are cut out of the response body unchanged (see {@link RecordSlicer}).
 * Failures surface from the stream as {@code SourceException}. One fetch at a time per instance, as
 * {@link ConversationSource} says.
 */
public final class MessagingInteractionsSource implements ConversationSource {

  private static final Logger LOG = LoggerFactory.getLogger(MessagingInteractionsSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "msgHist";
  private static final String RECORDS = "conversationHistoryRecords";

  public static final String DEFAULT_SOURCE_NAME = "lp-archiver";
  public static final int PAGE_SIZE = PagedSearch.PAGE_SIZE;
  public static final Duration MAX_WINDOW = Duration.ofDays(90);

  /** The archiver set: everything a transcript needs, including the non-default sections. */
  public static final List<String> CONTENT_TO_RETRIEVE =
      List.of(
          "messageRecords",
          "agentParticipants",
          "agentParticipantsLeave",
          "agentParticipantsActive",
          "consumerParticipants",
          "transfers",
          "interactions",
          "messageStatuses",
          "conversationSurveys",
          "summary",
          "sdes",
          "unAuthSdes",
          "dialogs",
          "campaign",
          "monitoring",
          "skillChanges",
          "coBrowseSessions");

  private final String account;
  private final DomainApi domainApi;
  private final LivePersonHttp http;
  private final String sourceName;
  private final MessagingRecordParser parser;

  /**
   * @param sourceName sent as {@code source=} on every call (required by LivePerson, at most 20
   *     characters)
   */
  public MessagingInteractionsSource(
      String account, DomainApi domainApi, LivePersonHttp http, String sourceName) {
    this.account = Accounts.requireValid(account);
    this.domainApi = domainApi;
    this.http = http;
    this.sourceName = requireSourceName(sourceName);
    this.parser = new MessagingRecordParser(account);
  }

  static String requireSourceName(String sourceName) {
    if (sourceName == null || !sourceName.matches("[A-Za-z0-9_.-]{1,20}")) {
      throw new IllegalArgumentException(
          "source.liveperson.sourceName must be 1-20 letters, digits, '_', '.' or '-', was '"
              + sourceName
              + "'");
    }
    return sourceName;
  }

  @Override
  public Channel channel() {
    return Channel.MESSAGING;
  }

  @Override
  public Stream<SourceRecord> fetch(FetchRequest request) {
    return fetchPending(request).map(PendingRecord::parse);
  }

  @Override
  public Stream<PendingRecord> fetchPending(FetchRequest request) {
    RecentKeys seen = new RecentKeys(PagedSearch.RECENT_IDS);
    return PagedSearch.stream(
        request.window().split(MAX_WINDOW),
        (window, offset) ->
            searchPage(window, request.updatedSince(), request.includeOpen(), offset),
        raw -> accept(raw, seen, request.includeOpen()));
  }

  @Override
  public Optional<SourceRecord> fetchById(String conversationId) {
    return wholeRecord(conversationId).map(parser::parse);
  }

  /** The search body; {@code start.to} is inclusive in LivePerson, our window end exclusive. */
  byte[] searchBody(Window window, Optional<Instant> updatedSince) {
    return searchBody(window, updatedSince, false);
  }

  /** The search body, asking for OPEN conversations too when {@code includeOpen}. */
  byte[] searchBody(Window window, Optional<Instant> updatedSince, boolean includeOpen) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("start")
        .put("from", window.from().toEpochMilli())
        .put("to", window.to().toEpochMilli() - 1);
    ArrayNode status = body.putArray("status");
    if (includeOpen) {
      status.add("OPEN");
    }
    status.add("CLOSE");
    CONTENT_TO_RETRIEVE.forEach(body.putArray("contentToRetrieve")::add);
    updatedSince.ifPresent(
        since -> body.putObject("latestUpdateTime").put("from", since.toEpochMilli()));
    return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private URI searchUri(long offset) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("offset", Long.toString(offset));
    query.put("limit", Integer.toString(PAGE_SIZE));
    query.put("sort", "start:asc");
    query.put("v", "2");
    query.put("source", sourceName);
    return endpoint("/conversations/search", query);
  }

  private URI byIdUri() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("v", "2");
    query.put("source", sourceName);
    return endpoint("/conversations/conversation/search", query);
  }

  private URI endpoint(String path, Map<String, String> query) {
    return domainApi
        .baseUri(SERVICE)
        .resolve("/messaging_history/api/account/" + account + path + "?" + Rfc3986.query(query));
  }

  private RecordSlicer.Page searchPage(
      Window window, Optional<Instant> since, boolean includeOpen, long offset) {
    return http.postJson(
        LivePersonApi.MESSAGING_INTERACTIONS,
        searchUri(offset),
        searchBody(window, since, includeOpen),
        MessagingInteractionsSource::completePage);
  }

  /** Rejects cut-off bodies and shard failures so the call is made again. */
  static RecordSlicer.Page completePage(LivePersonHttp.Response response)
      throws IncompleteResponseException {
    return PagedSearch.completePage(response, RECORDS);
  }

  /**
   * The record, its parse deferred, or empty when it is skipped (duplicate, or not closed when open
   * ones were not asked for). Only its {@code info} is read here.
   */
  private Optional<PendingRecord> accept(byte[] raw, RecentKeys seen, boolean includeOpen) {
    Optional<JsonNode> info = PagedSearch.info(raw);
    Optional<String> id = info.flatMap(i -> Fields.text(i, "conversationId"));
    if (id.isEmpty()) {
      return Optional.of(PendingRecord.parsed(parser.parse(raw))); // reports what is wrong
    }
    if (seen.contains(id.get())) {
      return Optional.empty();
    }
    if (!includeOpen && !"CLOSE".equals(Fields.text(info.get(), "status").orElse("CLOSE"))) {
      LOG.debug("skipping conversation {}: status is not CLOSE", id.get());
      return Optional.empty();
    }
    seen.add(id.get());
    if (Fields.flag(info.get(), "isPartial")) {
      return Optional.of(PendingRecord.parsed(whole(id.get(), raw)));
    }
    return Optional.of(
        PendingRecord.deferred(Channel.MESSAGING, id.get(), () -> parser.parse(raw)));
  }

  /** The whole record for a conversation LivePerson returned truncated ({@code isPartial}). */
  private SourceRecord whole(String conversationId, byte[] partial) {
    return wholeRecord(conversationId)
        .map(parser::parse)
        .orElseGet(
            () ->
                new SourceRecord.Unparseable(
                    Channel.MESSAGING,
                    conversationId,
                    partial,
                    PagedSearch.stillPartial(http.policy().maxRefetches())));
  }

  /** The conversation by id, whole; empty when LivePerson keeps answering with a partial one. */
  private Optional<byte[]> wholeRecord(String conversationId) {
    byte[] body =
        JSON.createObjectNode()
            .put("conversationId", conversationId)
            .toString()
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return PagedSearch.wholeRecord(
        () ->
            http.postJson(
                LivePersonApi.MESSAGING_INTERACTIONS,
                byIdUri(),
                body,
                MessagingInteractionsSource::completePage),
        "conversationId",
        conversationId,
        http.policy().maxRefetches());
  }

  @Override
  public String toString() {
    return "MessagingInteractionsSource[account " + account + ", source " + sourceName + "]";
  }
}
