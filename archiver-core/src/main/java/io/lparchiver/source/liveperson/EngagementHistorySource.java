package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.Channel;
import io.lparchiver.model.RecentKeys;
import io.lparchiver.model.Window;
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.FetchRequest;
import io.lparchiver.source.PendingRecord;
import io.lparchiver.source.SourceRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ended legacy chats from the Engagement History API ({@code engHistDomain}).
 *
 * <p>Like {@link MessagingInteractionsSource} (paging, completeness checks and re-fetches are
 * {@link PagedSearch}'s), with EH's rules: windows of at most {@link #MAX_WINDOW} (EH refuses more
 * than a month), {@code sort=start:asc}, 204 No Content as an empty page, 302 "Too many requests"
 * retried as throttling by {@link LivePersonHttp} (never followed). A record with {@code
 * info.isPartial:true} or {@code chatDataEnriched:false} is asked again by {@code engagementId}; a
 * record still partial is dead-lettered, one merely not enriched yet is archived (the enriched
 * record later becomes a new version). Records are de-duplicated by engagement id within a fetch.
 *
 * <p>EH has no update time to search by. Chats are returned only once ended and are final within
 * two hours of that, so an "updated since" request only re-reads chats that started at most {@link
 * #UPDATE_LOOKBACK} before that time: a chat still running when an earlier run passed its start is
 * caught then. Chats running longer than that are a known gap of this approach.
 */
public final class EngagementHistorySource implements ConversationSource {

  private static final Logger LOG = LoggerFactory.getLogger(EngagementHistorySource.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "engHistDomain";
  private static final String RECORDS = "interactionHistoryRecords";

  /** EH caps a search at 1 month; 30 days stays inside however a month is counted. */
  public static final Duration MAX_WINDOW = Duration.ofDays(30);

  /** Longest chat plus enrichment time an "updated since" request still looks back for. */
  public static final Duration UPDATE_LOOKBACK = Duration.ofHours(24);

  private final String account;
  private final DomainApi domainApi;
  private final LivePersonHttp http;
  private final String sourceName;
  private final ChatRecordParser parser;

  /**
   * @param sourceName sent as {@code source=} on every call (required by EH, at most 20 characters)
   */
  public EngagementHistorySource(
      String account, DomainApi domainApi, LivePersonHttp http, String sourceName) {
    this.account = Accounts.requireValid(account);
    this.domainApi = domainApi;
    this.http = http;
    this.sourceName = MessagingInteractionsSource.requireSourceName(sourceName);
    this.parser = new ChatRecordParser(account);
  }

  @Override
  public Channel channel() {
    return Channel.CHAT;
  }

  @Override
  public Stream<SourceRecord> fetch(FetchRequest request) {
    return fetchPending(request).map(PendingRecord::parse);
  }

  @Override
  public Stream<PendingRecord> fetchPending(FetchRequest request) {
    Optional<Window> window = effectiveWindow(request);
    if (window.isEmpty()) {
      return Stream.empty();
    }
    RecentKeys seen = new RecentKeys(PagedSearch.RECENT_IDS);
    return PagedSearch.stream(
        window.get().split(MAX_WINDOW), this::searchPage, raw -> accept(raw, seen));
  }

  /** The request window, cut to {@link #UPDATE_LOOKBACK} before "updated since" when given. */
  static Optional<Window> effectiveWindow(FetchRequest request) {
    Window window = request.window();
    if (request.updatedSince().isEmpty()) {
      return Optional.of(window);
    }
    Instant from = request.updatedSince().get().minus(UPDATE_LOOKBACK);
    from = from.isAfter(window.from()) ? from : window.from();
    return from.isBefore(window.to())
        ? Optional.of(new Window(from, window.to()))
        : Optional.empty();
  }

  /** The search body; {@code start.to} is inclusive in LivePerson, our window end exclusive. */
  static byte[] searchBody(Window window) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("start")
        .put("from", window.from().toEpochMilli())
        .put("to", window.to().toEpochMilli() - 1);
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private URI searchUri(long offset) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("offset", Long.toString(offset));
    query.put("limit", Integer.toString(PagedSearch.PAGE_SIZE));
    query.put("sort", "start:asc");
    query.put("source", sourceName);
    return domainApi
        .baseUri(SERVICE)
        .resolve(
            "/interaction_history/api/account/"
                + account
                + "/interactions/search?"
                + Rfc3986.query(query));
  }

  private RecordSlicer.Page searchPage(Window window, long offset) {
    return post(searchUri(offset), searchBody(window));
  }

  private RecordSlicer.Page post(URI uri, byte[] body) {
    return http.postJson(
        LivePersonApi.ENGAGEMENT_HISTORY,
        uri,
        body,
        response -> PagedSearch.completePage(response, RECORDS));
  }

  /**
   * The record, its parse deferred, or empty when it is skipped (duplicate, not ended). Only its
   * {@code info} is read here.
   */
  private Optional<PendingRecord> accept(byte[] raw, RecentKeys seen) {
    Optional<JsonNode> info = PagedSearch.info(raw);
    Optional<String> id = info.flatMap(i -> Fields.text(i, "engagementId"));
    if (id.isEmpty()) {
      return Optional.of(PendingRecord.parsed(parser.parse(raw))); // reports what is missing
    }
    if (!seen.add(id.get())) {
      return Optional.empty();
    }
    if (info.get().has("ended") && !Fields.flag(info.get(), "ended")) {
      LOG.debug("skipping chat {}: not ended", id.get());
      return Optional.empty();
    }
    if (Fields.flag(info.get(), "isPartial") || notEnriched(info.get())) {
      return Optional.of(PendingRecord.parsed(whole(id.get(), raw)));
    }
    return Optional.of(PendingRecord.deferred(Channel.CHAT, id.get(), () -> parser.parse(raw)));
  }

  private static boolean notEnriched(JsonNode info) {
    for (String flag : new String[] {"chatDataEnriched", "isChatDataEnriched"}) {
      if (info.has(flag) && !Fields.flag(info, flag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads one ended chat by engagement id: EH's {@code engagementId} filter switches off the time
   * limits, so any chat LivePerson still holds is found (dead-letter retries, reconcile repairs).
   * Empty when LivePerson does not return it, returns it still partial, or it has not ended.
   */
  @Override
  public Optional<SourceRecord> fetchById(String engagementId) {
    return wholeRecord(engagementId).filter(raw -> ended(raw, engagementId)).map(parser::parse);
  }

  /** Asks again by engagement id, which has no time limits; dead-lettered if still partial. */
  private SourceRecord whole(String engagementId, byte[] partial) {
    int refetches = http.policy().maxRefetches();
    return wholeRecord(engagementId)
        .map(parser::parse)
        .orElseGet(
            () ->
                new SourceRecord.Unparseable(
                    Channel.CHAT, engagementId, partial, PagedSearch.stillPartial(refetches)));
  }

  private Optional<byte[]> wholeRecord(String engagementId) {
    byte[] body = byIdBody(engagementId);
    return PagedSearch.wholeRecord(
        () -> post(searchUri(0), body), "engagementId", engagementId, http.policy().maxRefetches());
  }

  /** The by-id search body: the filter alone, no {@code start} (the id ignores time limits). */
  static byte[] byIdBody(String engagementId) {
    return JSON.createObjectNode()
        .put("engagementId", engagementId)
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  private static boolean ended(byte[] raw, String engagementId) {
    try {
      JsonNode info = JSON.readTree(raw).path("info");
      if (info.has("ended") && !Fields.flag(info, "ended")) {
        LOG.warn("chat {} returned by id has not ended; not archived yet", engagementId);
        return false;
      }
      return true;
    } catch (IOException e) {
      return true; // the parser reports what is wrong with it
    }
  }

  @Override
  public String toString() {
    return "EngagementHistorySource[account " + account + ", source " + sourceName + "]";
  }
}
