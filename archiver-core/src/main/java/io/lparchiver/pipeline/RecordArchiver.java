package io.lparchiver.pipeline;

import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.overflow.Externaliser;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.source.FileFetcher;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.StateStore;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Archives records one at a time as they arrive from elsewhere (a Kafka topic) rather than from a
 * planned sync: the same versioning, mapping, rendering, find-before-deliver and ledger as {@link
 * SyncJob}, one record per call.
 *
 * <p>Lifecycle: one instance per state store; the caller closes the store and the sink.
 * Thread-safety: one call at a time. Idempotence: archiving the same record again delivers nothing
 * twice (the ledger, then the target's Message-ID, say it is there).
 */
public final class RecordArchiver {

  /** What became of one record. */
  public sealed interface Outcome {

    /**
     * Every mapped mailbox has its copy.
     *
     * @param delivered copies written now
     * @param duplicates copies that the ledger or the target already had
     */
    record Archived(int delivered, int duplicates) implements Outcome {}

    /**
     * An open conversation younger than {@code archive.openSnapshotAfter} (or interim versions are
     * off): archived when it closes or grows old enough, as in a sync.
     */
    record NotClosed() implements Outcome {}

    /**
     * The record, or a copy of it, could not go on; it is recorded as a dead letter in the state.
     *
     * @param stage where it stopped
     * @param reason why (secrets redacted)
     */
    record DeadLettered(DeadLetterStage stage, String reason) implements Outcome {}
  }

  private final String account;
  private final StateStore state;
  private final Clock clock;
  private final ConversationProcessor processor;
  private final OpenSnapshots open;

  /**
   * As a sync archives: hosted files downloaded right before rendering when {@code files} is
   * present, and open conversations archived as interim versions once {@code open} says so.
   *
   * @param files shared by the archivers of one thread only (a fetcher is not thread-safe)
   */
  public RecordArchiver(
      String account,
      ParticipantMapper mapper,
      EmailRenderer renderer,
      MailboxSink sink,
      StateStore state,
      Clock clock,
      DeliveryRetry retry,
      Optional<Externaliser> overflow,
      Optional<FileFetcher> files,
      OpenSnapshots open) {
    this.account = account;
    this.state = state;
    this.clock = clock;
    this.open = open;
    this.processor =
        new ConversationProcessor(
            mapper, renderer, sink, state, retry, clock, overflow, files, 1); // one thread
  }

  /**
   * Archives one record.
   *
   * @throws TargetFailingException when the target refused every recent copy (it is down or refuses
   *     the credentials): the caller should stop and try again later
   * @throws io.lparchiver.source.SourceException of kind AUTHENTICATION when the file download
   *     login is refused: a person must fix {@code source.liveperson.files.login.*}
   */
  public Outcome archive(SourceRecord record) throws InterruptedException {
    if (record instanceof SourceRecord.Unparseable bad) {
      state.deadLetter(
          DeadLetter.of(
              account,
              bad.channel(),
              bad.conversationId(),
              0,
              "",
              DeadLetterStage.PARSE,
              bad.reason(),
              clock.instant()));
      return new Outcome.DeadLettered(DeadLetterStage.PARSE, bad.reason());
    }
    FetchedConversation fetched = ((SourceRecord.Parsed) record).fetched();
    Conversation c = fetched.conversation();
    if (!open.archives(c, clock.instant())) {
      return new Outcome.NotClosed();
    }
    SyncTally tally = new SyncTally();
    processor.process(fetched, tally);
    SyncReport report = tally.report(false);
    if (report.deadLetters() > 0) {
      return lastDeadLetter(c.channel(), c.id());
    }
    return new Outcome.Archived(report.deliveries(), report.duplicates());
  }

  private Outcome lastDeadLetter(Channel channel, String conversationId) {
    List<DeadLetter> letters =
        state.openDeadLetters().stream()
            .filter(l -> l.channel() == channel && l.conversationId().equals(conversationId))
            .toList();
    return letters.stream()
        .max(Comparator.comparing(DeadLetter::lastAt))
        .<Outcome>map(l -> new Outcome.DeadLettered(l.stage(), l.reason()))
        .orElseThrow(
            () -> new IllegalStateException("dead letter of " + conversationId + " not stored"));
  }
}
