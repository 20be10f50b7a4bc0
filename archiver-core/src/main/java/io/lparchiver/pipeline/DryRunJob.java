package io.lparchiver.pipeline;

import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.Window;
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.SourceRecord;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code sync --dry-run}: reads the range and maps every conversation, printing who would get what.
 * Writes nothing, not even state, so it is safe against a production configuration.
 */
public final class DryRunJob {

  private final List<ConversationSource> sources;
  private final ParticipantMapper mapper;
  private final WindowPlanner planner = new WindowPlanner();
  private final OpenSnapshots openSnapshots;
  private final Clock clock;

  public DryRunJob(List<ConversationSource> sources, ParticipantMapper mapper) {
    this(sources, mapper, OpenSnapshots.off(), Clock.systemUTC());
  }

  /** A dry run that counts the open conversations a sync would archive as interim versions. */
  public DryRunJob(
      List<ConversationSource> sources,
      ParticipantMapper mapper,
      OpenSnapshots openSnapshots,
      Clock clock) {
    this.sources = List.copyOf(sources);
    this.mapper = mapper;
    this.openSnapshots = openSnapshots;
    this.clock = clock;
  }

  public SyncReport run(Window range, SyncJob.Progress progress) {
    SyncTally tally = new SyncTally();
    for (ConversationSource source : sources) {
      for (WindowPlanner.PlannedFetch fetch :
          planner.explicitRange(range, openSnapshots.enabled())) {
        try (Stream<SourceRecord> records = source.fetch(fetch.request())) {
          records.forEach(r -> plan(r, tally));
        }
        progress.windowDone(source, fetch.request().window(), tally.conversationCount());
      }
    }
    return tally.report(true);
  }

  private void plan(SourceRecord record, SyncTally tally) {
    if (record instanceof SourceRecord.Parsed parsed
        && openSnapshots.archives(parsed.fetched().conversation(), clock.instant())) {
      Conversation c = parsed.fetched().conversation();
      String id = c.channel().label() + ":" + c.id();
      tally.conversation(id);
      List<Mailbox> mailboxes = List.copyOf(mapper.map(c).mailboxes());
      if (mailboxes.isEmpty()) {
        tally.deadLetter("map " + id + ": unmapped (would be dead-lettered)");
      }
      tally.planned(id, mailboxes);
    } else if (record instanceof SourceRecord.Unparseable bad) {
      tally.deadLetter(
          "parse " + bad.channel().label() + ":" + bad.conversationId() + ": " + bad.reason());
    }
  }
}
