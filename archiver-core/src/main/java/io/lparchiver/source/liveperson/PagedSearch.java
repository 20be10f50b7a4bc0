package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.lparchiver.model.Window;
import io.lparchiver.source.PendingRecord;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the LivePerson history searches (Messaging Interactions, Engagement History) share: windows
 * split to the API's cap, offset paging until {@code _metadata.count} with pages loaded lazily as
 * the stream is consumed, answers checked for completeness, and truncated records fetched again by
 * id.
 */
final class PagedSearch {

  private static final Logger LOG = LoggerFactory.getLogger(PagedSearch.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static final int PAGE_SIZE = 100;

  /**
   * How many ids a search remembers to drop a record it returns twice (pages shift by the records
   * added or closed before the offset meanwhile): far more than a shift brings back, and a bound,
   * so a window of any size is read in the same memory. A repeat older than that goes on to the
   * pipeline, whose ledger recognises it.
   */
  static final int RECENT_IDS = 10_000;

  private PagedSearch() {}

  /** Fetches one page of a window at a zero-based offset. */
  @FunctionalInterface
  interface PageFetcher {
    RecordSlicer.Page fetch(Window window, long offset);
  }

  /** Turns one raw record into a pending record, or empty to skip it (duplicate, not ended). */
  @FunctionalInterface
  interface Acceptor {
    Optional<PendingRecord> accept(byte[] raw);
  }

  /** Every record of every window, lazily, in order. */
  static Stream<PendingRecord> stream(List<Window> windows, PageFetcher pages, Acceptor acceptor) {
    Iterator<PendingRecord> records = new RecordIterator(windows, pages, acceptor);
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(records, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /**
   * Reads a search answer, rejecting cut-off bodies and shard failures so the call is made again.
   * 204 No Content (Engagement History's "nothing matches") is an empty page.
   */
  static RecordSlicer.Page completePage(LivePersonHttp.Response response, String recordsField)
      throws IncompleteResponseException {
    if (response.status() == 204) {
      return new RecordSlicer.Page(MissingNode.getInstance(), List.of());
    }
    RecordSlicer.Page page;
    try {
      page = RecordSlicer.slice(response.body(), recordsField);
    } catch (IOException e) {
      String detail =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new IncompleteResponseException("body is not complete JSON (" + detail + ")", e);
    }
    if (page.partialResult()) {
      throw new IncompleteResponseException("partialResult page (a shard failed)");
    }
    return page;
  }

  /**
   * The whole record for one LivePerson returned truncated ({@code info.isPartial}): asks by id up
   * to {@link RetryPolicy#maxRefetches()} times.
   *
   * @param byId one search by id
   * @param idField the id's name in {@code info}
   */
  static Optional<byte[]> wholeRecord(
      Supplier<RecordSlicer.Page> byId, String idField, String id, int maxRefetches) {
    for (int attempt = 1; attempt <= maxRefetches; attempt++) {
      for (byte[] raw : byId.get().records()) {
        Optional<JsonNode> info = info(raw);
        if (info.isPresent()
            && id.equals(Fields.text(info.get(), idField).orElse(""))
            && !Fields.flag(info.get(), "isPartial")) {
          return Optional.of(raw);
        }
      }
      LOG.warn("record {} still partial on re-fetch {} by id", id, attempt);
    }
    return Optional.empty();
  }

  /** Why a record that stayed partial is dead-lettered rather than archived. */
  static String stillPartial(int maxRefetches) {
    return "record stays partial (info.isPartial) after "
        + maxRefetches
        + " re-fetches by id; a partial record is never archived";
  }

  /**
   * The record's {@code info} object, read without the rest of the record (LivePerson sends it
   * first, so this reads a few hundred bytes of a record of many kilobytes): enough to name,
   * de-duplicate and filter a record before it is parsed in full. Empty when the record is not a
   * JSON object with an {@code info} object up to there; the full parse then says what is wrong.
   */
  static Optional<JsonNode> info(byte[] raw) {
    try (JsonParser parser = JSON.getFactory().createParser(raw)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("info".equals(field)) {
          return value == JsonToken.START_OBJECT
              ? Optional.of(JSON.readTree(parser))
              : Optional.empty();
        }
        parser.skipChildren();
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Walks sub-windows and pages lazily, turning raw records into source records. */
  private static final class RecordIterator implements Iterator<PendingRecord> {
    private final Deque<Window> windows;
    private final PageFetcher pages;
    private final Acceptor acceptor;
    private final Deque<byte[]> pending = new ArrayDeque<>();
    private PendingRecord next;
    private Window window;
    private long offset;
    private long count;

    RecordIterator(List<Window> windows, PageFetcher pages, Acceptor acceptor) {
      this.windows = new ArrayDeque<>(windows);
      this.pages = pages;
      this.acceptor = acceptor;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (pending.isEmpty() && !loadPage()) {
          return false;
        }
        if (!pending.isEmpty()) {
          next = acceptor.accept(pending.poll()).orElse(null);
        }
      }
      return true;
    }

    @Override
    public PendingRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      PendingRecord current = next;
      next = null;
      return current;
    }

    /** Fetches the next page (moving to the next window when one is done); false at the end. */
    private boolean loadPage() {
      if (window == null || offset >= count) {
        if (windows.isEmpty()) {
          return false;
        }
        window = windows.poll();
        offset = 0;
        count = 1; // unknown until the first page answers
      }
      RecordSlicer.Page page = pages.fetch(window, offset);
      LOG.debug("{}: {} records at offset {}", window, page.records().size(), offset);
      count = Math.max(page.count(), 0); // count may grow while paging: use the latest
      offset += PAGE_SIZE;
      if (page.records().isEmpty()) {
        offset = count; // nothing more here even if count says otherwise: avoid paging forever
      }
      pending.addAll(page.records());
      return true;
    }
  }
}
