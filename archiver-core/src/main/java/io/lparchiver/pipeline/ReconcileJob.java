package io.lparchiver.pipeline;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Window;
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.state.ConversationVersion;
import io.lparchiver.state.DeliveryRecord;
import io.lparchiver.state.StateStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Compares three views of a range of conversation start times: what LivePerson holds (closed
 * conversations, every configured channel), what the ledger says was delivered, and what the target
 * holds (each ledger row's copy looked up by Message-ID). Read-only; {@link #repair} makes the next
 * sync of the range deliver what is missing.
 */
public final class ReconcileJob {

  /** What kind of difference. */
  public enum Kind {
    /** LivePerson holds a closed conversation of which no version was delivered. */
    MISSING,
    /** LivePerson's content differs from the last version delivered: a new version is due. */
    STALE,
    /** The ledger knows a conversation LivePerson no longer returns (deleted, past retention). */
    EXTRA,
    /** The ledger says delivered, but the target has no copy with that Message-ID. */
    MISSING_ON_TARGET;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One difference.
   *
   * @param version the ledger's latest version (0 when none)
   * @param mailbox the mailbox concerned ({@code MISSING_ON_TARGET} only; else empty)
   */
  public record Difference(
      Kind kind, Channel channel, String conversationId, int version, String mailbox) {}

  /**
   * The comparison.
   *
   * @param livePerson conversations LivePerson returned for the range that a sync archives (closed
   *     ones, and open ones old enough for an interim version)
   * @param ledger conversations of the range in the ledger
   * @param copiesChecked ledger rows whose copy was looked up on the target
   */
  public record Report(
      Window range, int livePerson, int ledger, int copiesChecked, List<Difference> differences) {
    public Report {
      differences = List.copyOf(differences);
    }

    public long count(Kind kind) {
      return differences.stream().filter(d -> d.kind() == kind).count();
    }
  }

  private final String account;
  private final List<ConversationSource> sources;
  private final MailboxSink sink;
  private final StateStore state;
  private final WindowPlanner planner = new WindowPlanner();
  private final OpenSnapshots openSnapshots;
  private final Clock clock;

  public ReconcileJob(
      String account, List<ConversationSource> sources, MailboxSink sink, StateStore state) {
    this(account, sources, sink, state, OpenSnapshots.off(), Clock.systemUTC());
  }

  /**
   * A reconcile that, like the sync, expects an interim version of every open conversation older
   * than {@code openSnapshots} allows.
   */
  public ReconcileJob(
      String account,
      List<ConversationSource> sources,
      MailboxSink sink,
      StateStore state,
      OpenSnapshots openSnapshots,
      Clock clock) {
    this.account = account;
    this.sources = List.copyOf(sources);
    this.sink = sink;
    this.state = state;
    this.openSnapshots = openSnapshots;
    this.clock = clock;
  }

  /** Compares the range; writes nothing. */
  public Report compare(Window range) {
    int lpCount = 0;
    int ledgerCount = 0;
    int checked = 0;
    List<Difference> diffs = new ArrayList<>();
    for (ConversationSource source : sources) {
      List<SourceRecord.Unparseable> unparseable = new ArrayList<>();
      Map<String, FetchedConversation> held = held(source, range, unparseable);
      for (SourceRecord.Unparseable bad : unparseable) {
        // LivePerson holds it, the archive cannot read it: missing unless a version exists
        if (state.latestVersion(account, bad.channel(), bad.conversationId()).isEmpty()) {
          diffs.add(new Difference(Kind.MISSING, bad.channel(), bad.conversationId(), 0, ""));
        }
      }
      Map<String, ConversationVersion> known =
          state.latestVersionsStarted(account, source.channel(), range.from(), range.to());
      lpCount += held.size();
      ledgerCount += known.size();
      for (FetchedConversation f : held.values()) {
        Conversation c = f.conversation();
        Optional<ConversationVersion> latest = state.latestVersion(account, c.channel(), c.id());
        List<DeliveryRecord> rows = latest.map(v -> state.deliveries(v.key())).orElse(List.of());
        int version = latest.map(ConversationVersion::version).orElse(0);
        if (rows.isEmpty()) {
          diffs.add(new Difference(Kind.MISSING, c.channel(), c.id(), version, ""));
          continue;
        }
        if (!latest.get().fingerprint().equals(f.fingerprint())) {
          diffs.add(new Difference(Kind.STALE, c.channel(), c.id(), version, ""));
        }
        for (DeliveryRecord row : rows) {
          checked++;
          if (!onTarget(row)) {
            diffs.add(
                new Difference(
                    Kind.MISSING_ON_TARGET, c.channel(), c.id(), version, row.mailbox().address()));
          }
        }
      }
      for (ConversationVersion v : known.values()) {
        if (!held.containsKey(v.conversationId())) {
          diffs.add(new Difference(Kind.EXTRA, v.channel(), v.conversationId(), v.version(), ""));
        }
      }
    }
    return new Report(range, lpCount, ledgerCount, checked, diffs);
  }

  /**
   * Forgets the ledger rows of copies missing on the target (audited), so that a sync of the range
   * delivers them again together with what is missing or stale. Returns how many rows it forgot.
   */
  public int forgetMissingCopies(Report report) {
    int forgotten = 0;
    for (Difference d : report.differences()) {
      if (d.kind() == Kind.MISSING_ON_TARGET
          && state.forgetDelivery(
              new io.lparchiver.model.MessageKey(
                  account, d.channel(), d.conversationId(), d.version()),
              new io.lparchiver.model.Mailbox(d.mailbox()),
              "reconcile: no copy on the target")) {
        forgotten++;
      }
    }
    return forgotten;
  }

  /** Writes the result to the audit trail. */
  public void audit(Report report, boolean repaired) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("from", report.range().from().toString());
    detail.put("to", report.range().to().toString());
    detail.put("livePerson", report.livePerson());
    detail.put("ledger", report.ledger());
    detail.put("copiesChecked", report.copiesChecked());
    for (Kind k : Kind.values()) {
      detail.put(k.label(), report.count(k));
    }
    detail.put("repaired", repaired);
    state.audit("reconcile", report.range().from() + ".." + report.range().to(), detail);
  }

  private boolean onTarget(DeliveryRecord row) {
    try {
      return sink.find(row.mailbox(), row.key()).isPresent();
    } catch (DeliveryException e) {
      throw new TargetFailingException(sink.type(), e.getMessage());
    }
  }

  /**
   * Conversations that started in the range and a sync archives: closed ones, and open ones old
   * enough for an interim version (windows overlap: deduplicated by id).
   */
  private Map<String, FetchedConversation> held(
      ConversationSource source, Window range, List<SourceRecord.Unparseable> unparseable) {
    Map<String, FetchedConversation> out = new LinkedHashMap<>();
    Instant now = clock.instant();
    for (WindowPlanner.PlannedFetch fetch : planner.explicitRange(range, openSnapshots.enabled())) {
      try (Stream<SourceRecord> records = source.fetch(fetch.request())) {
        Iterator<SourceRecord> it = records.iterator();
        while (it.hasNext()) {
          SourceRecord record = it.next();
          if (record instanceof SourceRecord.Unparseable bad) {
            unparseable.add(bad);
          } else if (record instanceof SourceRecord.Parsed p) {
            Conversation c = p.fetched().conversation();
            Instant start = c.start();
            if (openSnapshots.archives(c, now)
                && !start.isBefore(range.from())
                && start.isBefore(range.to())) {
              out.put(c.id(), p.fetched());
            }
          }
        }
      }
    }
    return out;
  }
}
