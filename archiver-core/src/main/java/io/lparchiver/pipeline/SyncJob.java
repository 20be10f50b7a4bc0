package io.lparchiver.pipeline;

import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.RecentKeys;
import io.lparchiver.model.Window;
import io.lparchiver.overflow.Externaliser;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.FileFetcher;
import io.lparchiver.source.PendingRecord;
import io.lparchiver.source.SourceException;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.RunSummary;
import io.lparchiver.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync: fetch the planned windows from every source, archive each conversation, and move the
 * checkpoint only after every conversation of a window is delivered or dead-lettered.
 */
public final class SyncJob {

  private static final Logger log = LoggerFactory.getLogger(SyncJob.class);

  /** Exit code recorded for a run stopped on request (service shutdown), as for SIGINT. */
  public static final int STOPPED = 130;

  /**
   * What to sync.
   *
   * @param range an explicit backfill range ({@code --from/--to}); empty for the incremental plan
   * @param dryRun map only: print who would get what and write nothing
   */
  public record Options(Optional<Window> range, boolean dryRun) {}

  /** Reports progress, e.g. to a terminal. */
  @FunctionalInterface
  public interface Progress {
    void windowDone(ConversationSource source, Window window, int conversationsSoFar);

    static Progress none() {
      return (s, w, n) -> {};
    }
  }

  private final String account;
  private final List<ConversationSource> sources;
  private final ParticipantMapper mapper;
  private final EmailRenderer renderer;
  private final MailboxSink sink;
  private final StateStore state;
  private final Clock clock;
  private final DeliveryRetry retry;
  private final Instant backfillFrom;
  private final Duration updateLag;
  private final int concurrency;
  private final Optional<FileFetcher> files;
  private final WindowPlanner planner = new WindowPlanner();
  private final Optional<Externaliser> overflow;
  private final OpenSnapshots openSnapshots;

  /** Failed attempts after which a dead letter waits for {@code retry} or the status page. */
  static final int AUTO_RETRIES = 5;

  /** A sync job; {@code open} says which open conversations get interim versions. */
  public SyncJob(
      String account,
      List<ConversationSource> sources,
      ParticipantMapper mapper,
      EmailRenderer renderer,
      MailboxSink sink,
      StateStore state,
      Clock clock,
      DeliveryRetry retry,
      Instant backfillFrom,
      Duration updateLag,
      int concurrency,
      Optional<Externaliser> overflow,
      Optional<FileFetcher> files,
      OpenSnapshots open) {
    this.openSnapshots = open;
    this.account = account;
    this.sources = List.copyOf(sources);
    this.mapper = mapper;
    this.renderer = renderer;
    this.sink = sink;
    this.state = state;
    this.clock = clock;
    this.retry = retry;
    this.backfillFrom = backfillFrom;
    this.updateLag = updateLag;
    this.concurrency = concurrency;
    this.overflow = overflow;
    this.files = files;
  }

  public SyncReport run(Options options, Progress progress) throws InterruptedException {
    return run(options, progress, SyncListener.none());
  }

  /** Runs one sync and reports each step to {@code listener} (metrics, alerts). */
  public SyncReport run(Options options, Progress progress, SyncListener listener)
      throws InterruptedException {
    if (options.dryRun()) {
      throw new IllegalArgumentException("dry runs are DryRunJob's: SyncJob writes");
    }
    long runId = state.startRun(options.range().isPresent() ? "sync --from/--to" : "sync");
    listener.runStarted(runId);
    Instant started = clock.instant();
    SyncTally tally = new SyncTally(listener);
    try (Lanes lanes = new Lanes(concurrency, "sync-" + runId)) {
      Instant now = clock.instant();
      ConversationProcessor processor =
          new ConversationProcessor(
              mapper, renderer, sink, state, retry, clock, overflow, files, concurrency);
      for (ConversationSource source : sources) {
        syncSource(
            source, options, now, new Archiving(processor, lanes, tally), progress, listener);
      }
      SyncReport report = tally.report(false);
      state.finishRun(runId, summary(report, report.exitCode()));
      listener.runFinished(report, Duration.between(started, clock.instant()), Optional.empty());
      return report;
    } catch (InterruptedException | RuntimeException e) {
      SyncReport partial = tally.report(false);
      int exit =
          e instanceof InterruptedException
              ? STOPPED
              : e instanceof SourceException se
                      && se.kind() != SourceException.Kind.RETRIES_EXHAUSTED
                  ? 2
                  : 1;
      state.finishRun(runId, summary(partial, exit));
      listener.runFinished(partial, Duration.between(started, clock.instant()), Optional.of(e));
      throw e;
    }
  }

  private void syncSource(
      ConversationSource source,
      Options options,
      Instant now,
      Archiving archiving,
      Progress progress,
      SyncListener listener)
      throws InterruptedException {
    String cursorName = WindowPlanner.startCursorName(source.channel());
    String lastRunName = WindowPlanner.lastRunName(source.channel());
    List<WindowPlanner.PlannedFetch> plan =
        options.range().isPresent()
            ? planner.explicitRange(options.range().get(), openSnapshots.enabled())
            : planner.incremental(
                backfillFrom,
                state.instantCheckpoint(cursorName),
                state.instantCheckpoint(lastRunName),
                now,
                updateLag,
                openSnapshots.interimAfter());
    listener.windowsPlanned(source.channel(), plan.size());
    Handled handled = new Handled();
    if (options.range().isEmpty()) {
      // before the windows: what fails in this run is retried by the next one, not twice now
      retryDeadLetters(source, archiving, handled);
      archiving.lanes().awaitIdle();
    }
    for (WindowPlanner.PlannedFetch fetch : plan) {
      try (Stream<PendingRecord> records = source.fetchPending(fetch.request())) {
        Iterator<PendingRecord> it = records.iterator();
        while (it.hasNext()) {
          stopIfAsked(listener);
          handle(it.next(), archiving, handled);
        }
      }
      archiving.lanes().awaitIdle(); // the checkpoint moves only past archived conversations
      fetch.cursorAfter().ifPresent(cursor -> state.saveCheckpoint(cursorName, cursor));
      progress.windowDone(source, fetch.request().window(), handled.count());
      listener.windowDone(source.channel(), fetch.request().window());
    }
    if (options.range().isEmpty()) {
      state.saveCheckpoint(lastRunName, now);
    }
    log.info(
        "{}: {} windows, {} conversation versions",
        source.channel().label(),
        plan.size(),
        handled.count());
  }

  /**
   * Every regular run also retries the source's open dead letters (re-read by id) until they have
   * failed {@link #AUTO_RETRIES} times: a copy that failed on a passing fault, or that landed
   * although the target answered with an error, is completed or recognised without anyone acting.
   */
  private void retryDeadLetters(ConversationSource source, Archiving archiving, Handled handled)
      throws InterruptedException {
    Set<String> ids = new java.util.LinkedHashSet<>();
    for (DeadLetter letter : state.openDeadLetters()) {
      if (letter.channel() == source.channel() && letter.attempts() < AUTO_RETRIES) {
        ids.add(letter.conversationId());
      }
    }
    handled.retrying();
    for (String id : ids) {
      Optional<SourceRecord> record = source.fetchById(id);
      if (record.isPresent()) {
        handle(PendingRecord.parsed(record.get()), archiving, handled);
      }
    }
    handled.retried();
  }

  /** One conversation to read again by id: a dead letter to retry, a difference to repair. */
  public record ConversationRef(Channel channel, String conversationId) {}

  /**
   * Re-reads the conversations of {@code letters} by id and archives them as a sync would; a
   * conversation the source cannot return stays dead-lettered. Checkpoints are not moved.
   */
  public SyncReport retry(List<DeadLetter> letters, SyncListener listener)
      throws InterruptedException {
    return archiveById(
        "retry",
        letters.stream()
            .map(l -> new ConversationRef(l.channel(), l.conversationId()))
            .distinct()
            .toList(),
        listener);
  }

  /**
   * Re-reads each conversation by id and archives it as a sync would: only the mapped mailboxes
   * without a ledger row get a copy (a copy already on the target is recorded, not written again),
   * so nothing is doubled. Used by {@code retry} and {@code reconcile --repair}; checkpoints are
   * not moved. A conversation the source does not return is logged and left as it was.
   *
   * @param command the run's name in the ledger ("retry", "repair")
   */
  public SyncReport archiveById(String command, List<ConversationRef> refs, SyncListener listener)
      throws InterruptedException {
    long runId = state.startRun(command);
    listener.runStarted(runId);
    Instant started = clock.instant();
    SyncTally tally = new SyncTally(listener);
    try (Lanes inline = new Lanes(1, command)) {
      Archiving archiving =
          new Archiving(
              new ConversationProcessor(
                  mapper, renderer, sink, state, retry, clock, overflow, files, 1),
              inline,
              tally);
      Handled handled = new Handled();
      for (ConversationRef ref : refs) {
        stopIfAsked(listener);
        Optional<ConversationSource> source =
            sources.stream().filter(s -> s.channel() == ref.channel()).findFirst();
        Optional<SourceRecord> record = source.flatMap(s -> s.fetchById(ref.conversationId()));
        if (record.isEmpty()) {
          log.warn(
              "{}: {} {} not returned by LivePerson by id; left as it was",
              command,
              ref.channel().label(),
              ref.conversationId());
          continue;
        }
        handle(PendingRecord.parsed(record.get()), archiving, handled);
      }
      inline.awaitIdle();
      SyncReport report = tally.report(false);
      state.finishRun(runId, summary(report, report.exitCode()));
      listener.runFinished(report, Duration.between(started, clock.instant()), Optional.empty());
      return report;
    } catch (InterruptedException | RuntimeException e) {
      SyncReport partial = tally.report(false);
      state.finishRun(runId, summary(partial, e instanceof InterruptedException ? STOPPED : 1));
      listener.runFinished(partial, Duration.between(started, clock.instant()), Optional.of(e));
      throw e;
    }
  }

  private static void stopIfAsked(SyncListener listener) throws InterruptedException {
    if (listener.stopRequested()) {
      throw new InterruptedException("stop requested: the run ends between two conversations");
    }
  }

  /** What archives a conversation in this run: the processor on the run's lanes. */
  private record Archiving(ConversationProcessor processor, Lanes lanes, SyncTally tally) {}

  /**
   * The conversation versions this run handed to the lanes, so that one read twice is archived
   * once: windows overlap (LivePerson rounds their bounds outward) and its pages shift when data
   * changes. Only the most recent ones are remembered, so memory does not grow with the run; one
   * read again after that is recognised by the ledger as archived (a duplicate, not a second copy).
   * The dead letters retried at the start are all remembered: what fails again is retried by the
   * next run, not a second time in this one.
   */
  private static final class Handled {
    /** Far more than the overlap of two windows or a shift of pages brings back. */
    static final int RECENT = 10_000;

    private final RecentKeys recent = new RecentKeys(RECENT);
    private final Set<String> retries = new HashSet<>();
    private boolean retrying; // set by the reader only
    private int count;

    void retrying() {
      retrying = true;
    }

    void retried() {
      retrying = false;
    }

    /** Whether the reader is handing over retried dead letters now. */
    boolean isRetrying() {
      return retrying;
    }

    /**
     * False when {@code version} was handled in this run already. Called by the lanes; a
     * conversation's versions come one at a time, on one lane, in the order read.
     *
     * @param retry read as a dead letter to retry ({@link #isRetrying} when it was handed over)
     */
    synchronized boolean add(String version, boolean retry) {
      if (retries.contains(version) || (retry ? !retries.add(version) : !recent.add(version))) {
        return false;
      }
      count++;
      return true;
    }

    synchronized int count() {
      return count;
    }
  }

  /**
   * Hands the record to the lane of its conversation, which parses and archives it: parsing on the
   * lanes keeps the reader free to fetch the next pages.
   */
  private void handle(PendingRecord record, Archiving archiving, Handled handled)
      throws InterruptedException {
    boolean retry = handled.isRetrying();
    archiving
        .lanes()
        .submit(
            record.channel().label() + ":" + record.conversationId(),
            () -> archive(record.parse(), archiving, handled, retry));
  }

  /** On a lane: archives a parsed record, or dead-letters one that cannot be parsed. */
  private void archive(SourceRecord record, Archiving archiving, Handled handled, boolean retry)
      throws InterruptedException {
    SyncTally tally = archiving.tally();
    if (record instanceof SourceRecord.Parsed parsed) {
      FetchedConversation fetched = parsed.fetched();
      Conversation c = fetched.conversation();
      if (!openSnapshots.archives(c, clock.instant())
          || !handled.add(
              c.channel().label() + ":" + c.id() + ":" + fetched.fingerprint(), retry)) {
        return;
      }
      tally.conversation(c.channel().label() + ":" + c.id());
      archiving.processor().process(fetched, tally);
    } else if (record instanceof SourceRecord.Unparseable bad) {
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
      tally.deadLetter(
          "parse " + bad.channel().label() + ":" + bad.conversationId() + ": " + bad.reason());
    }
  }

  private static RunSummary summary(SyncReport r, int exitCode) {
    return new RunSummary(
        r.conversations(),
        r.emails(),
        r.deliveries(),
        r.duplicates(),
        r.deadLetters(),
        r.mailboxes(),
        exitCode);
  }
}
