package io.lparchiver.source;

import io.lparchiver.model.Channel;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads closed conversations of one channel from LivePerson.
 *
 * <p>Lifecycle: created once per run with its configuration; holds no open resources between calls.
 * Thread-safety: one {@link #fetch} at a time per instance. Idempotence: fetching the same request
 * twice returns the same conversations (LivePerson's data permitting); the pipeline deduplicates by
 * conversation id and fingerprint.
 */
public interface ConversationSource {

  Channel channel();

  /**
   * Lazily pages through every closed conversation that started in the request's window (and, when
   * asked, was updated since the given time). The stream must be closed. Each element is either a
   * parsed conversation or a record that could not be parsed, so nothing is dropped silently.
   *
   * @throws SourceException when LivePerson refuses the request or keeps failing after retries
   */
  Stream<SourceRecord> fetch(FetchRequest request);

  /**
   * The records of {@link #fetch}, each parsed only when the caller asks, so that parsing can run
   * beside the reading of the next pages (a sync parses on its lanes). Same order, same records.
   */
  default Stream<PendingRecord> fetchPending(FetchRequest request) {
    return fetch(request).map(PendingRecord::parsed);
  }

  /**
   * Reads one conversation by id, e.g. to retry a dead letter. Empty when LivePerson does not
   * return it (whole) or when this source cannot read by id.
   *
   * @throws SourceException when LivePerson refuses the request or keeps failing after retries
   */
  default Optional<SourceRecord> fetchById(String conversationId) {
    return Optional.empty();
  }
}
