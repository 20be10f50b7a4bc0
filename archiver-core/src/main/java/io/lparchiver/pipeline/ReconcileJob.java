package io.lparchiver.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Window;
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.state.ConversationVersion;
import io.lparchiver.state.DeliveryRecord;
import io.lparchiver.state.StateStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares, per day of conversation start (UTC), three views of a range: what LivePerson holds (the
 * conversations a sync archives, every configured channel) and the copies they should have after
 * fan-out (the sync's own {@link ParticipantMapper}), what the ledger says was delivered, and what
 * the target holds (each copy read back by Message-ID through the target's {@link ArchiveReader}).
 * {@link #compare} is read-only; {@link #repair} re-reads by id and re-delivers exactly the copies
 * that are missing, never one that is there (an altered copy is reported only).
 */
public final class ReconcileJob {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Differences written to the audit trail in full; beyond this only counted. */
  private static final int AUDITED_DIFFERENCES = 500;

  /** What kind of difference. */
  public enum Kind {
    /** LivePerson holds a conversation of which no version was delivered anywhere. */
    MISSING,
    /** LivePerson's content differs from the last version delivered: a new version is due. */
    STALE,
    /** The mapping names this mailbox, the ledger has no copy of the latest version there. */
    NOT_DELIVERED,
    /** The ledger says delivered, but the target has no copy with that Message-ID. */
    MISSING_ON_TARGET,
    /** The target's copy differs from what the ledger recorded; reported, never overwritten. */
    ALTERED,
    /** The ledger knows a conversation LivePerson no longer returns (deleted, past retention). */
    EXTRA;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether {@code --repair} re-reads the conversation and delivers what is missing. */
    public boolean repairable() {
      return this != ALTERED && this != EXTRA;
    }
  }

  /**
   * One difference.
   *
   * @param day the conversation's start day (UTC)
   * @param version the ledger's latest version (0 when none)
   * @param mailbox the mailbox concerned; empty for {@code STALE}, {@code EXTRA} and a conversation
   *     the mapping gives no mailbox
   */
  public record Difference(
      LocalDate day,
      Kind kind,
      Channel channel,
      String conversationId,
      int version,
      String mailbox) {

    /**
     * One line for people and the audit trail, e.g. {@code missing-on-target chat:123 v1 -> a@b}.
     */
    public String describe() {
      return kind.label()
          + " "
          + channel.label()
          + ":"
          + conversationId
          + (version > 0 ? " v" + version : "")
          + (mailbox.isEmpty() ? "" : " -> " + mailbox);
    }
  }

  /**
   * The counts of one day.
   *
   * @param livePerson conversations LivePerson holds that a sync archives
   * @param expectedCopies their copies after fan-out (one per mapped mailbox)
   * @param ledgerCopies copies of the latest versions the ledger says were delivered
   * @param targetCopies of those and of the expected copies, how many the target holds
   */
  public record Day(
      LocalDate day, int livePerson, int expectedCopies, int ledgerCopies, int targetCopies) {}

  /** The comparison: the days with anything to count, in order, and every difference. */
  public record Report(Window range, List<Day> days, List<Difference> differences) {
    public Report {
      days = List.copyOf(days);
      differences = List.copyOf(differences);
    }

    public long count(Kind kind) {
      return differences.stream().filter(d -> d.kind() == kind).count();
    }

    public List<Difference> differences(LocalDate day) {
      return differences.stream().filter(d -> d.day().equals(day)).toList();
    }

    public int livePerson() {
      return days.stream().mapToInt(Day::livePerson).sum();
    }

    public int expectedCopies() {
      return days.stream().mapToInt(Day::expectedCopies).sum();
    }

    public int ledgerCopies() {
      return days.stream().mapToInt(Day::ledgerCopies).sum();
    }

    public int targetCopies() {
      return days.stream().mapToInt(Day::targetCopies).sum();
    }
  }

  /**
   * What a repair did.
   *
   * @param forgotten ledger rows of copies missing on the target that were removed (audited)
   * @param conversations conversations re-read by id
   * @param sync the archiving of those conversations
   */
  public record Repair(int forgotten, int conversations, SyncReport sync) {}

  private final String account;
  private final List<ConversationSource> sources;
  private final ParticipantMapper mapper;
  private final MailboxSink sink;
  private final StateStore state;
  private final WindowPlanner planner = new WindowPlanner();
  private final OpenSnapshots openSnapshots;
  private final Clock clock;

  /**
   * @param mapper the mapper the sync uses, so that "after fan-out" means the same mailboxes
   * @param openSnapshots like the sync, expects an interim version of every open conversation older
   *     than it allows
   */
  public ReconcileJob(
      String account,
      List<ConversationSource> sources,
      ParticipantMapper mapper,
      MailboxSink sink,
      StateStore state,
      OpenSnapshots openSnapshots,
      Clock clock) {
    this.account = account;
    this.sources = List.copyOf(sources);
    this.mapper = mapper;
    this.sink = sink;
    this.state = state;
    this.openSnapshots = openSnapshots;
    this.clock = clock;
  }

  /** Compares the range; writes nothing. */
  public Report compare(Window range) {
    Map<LocalDate, Counts> days = new TreeMap<>();
    List<Difference> diffs = new ArrayList<>();
    for (ConversationSource source : sources) {
      List<SourceRecord.Unparseable> unparseable = new ArrayList<>();
      Map<String, FetchedConversation> held = held(source, range, unparseable);
      for (SourceRecord.Unparseable bad : unparseable) {
        // LivePerson holds it, the archive cannot read it: missing unless a version exists
        LocalDate day = startDay(bad.raw()).orElse(day(range.from()));
        days.computeIfAbsent(day, d -> new Counts()).livePerson++;
        if (state.latestVersion(account, bad.channel(), bad.conversationId()).isEmpty()) {
          diffs.add(new Difference(day, Kind.MISSING, bad.channel(), bad.conversationId(), 0, ""));
        }
      }
      for (FetchedConversation f : held.values()) {
        compare(f, days, diffs);
      }
      // the ledger's side, day by day: what it knows that LivePerson no longer returns
      for (LocalDate day = day(range.from()); day.isBefore(dayAfter(range.to())); ) {
        LocalDate next = day.plusDays(1);
        Instant from = later(range.from(), day.atStartOfDay(ZoneOffset.UTC).toInstant());
        Instant to = earlier(range.to(), next.atStartOfDay(ZoneOffset.UTC).toInstant());
        for (ConversationVersion v :
            state.latestVersionsStarted(account, source.channel(), from, to).values()) {
          if (!held.containsKey(v.conversationId())) {
            days.computeIfAbsent(day, d -> new Counts()).ledgerCopies +=
                state.deliveries(v.key()).size();
            diffs.add(
                new Difference(day, Kind.EXTRA, v.channel(), v.conversationId(), v.version(), ""));
          }
        }
        day = next;
      }
    }
    List<Day> out = new ArrayList<>();
    days.forEach(
        (day, c) ->
            out.add(new Day(day, c.livePerson, c.expectedCopies, c.ledgerCopies, c.targetCopies)));
    return new Report(range, out, diffs);
  }

  /** One conversation LivePerson holds: its mapped mailboxes against the ledger and the target. */
  private void compare(FetchedConversation f, Map<LocalDate, Counts> days, List<Difference> diffs) {
    Conversation c = f.conversation();
    LocalDate day = day(c.start());
    Counts counts = days.computeIfAbsent(day, d -> new Counts());
    SortedSet<Mailbox> expected = mapper.map(c).mailboxes();
    counts.livePerson++;
    counts.expectedCopies += expected.size();
    Optional<ConversationVersion> latest = state.latestVersion(account, c.channel(), c.id());
    List<DeliveryRecord> rows = latest.map(v -> state.deliveries(v.key())).orElse(List.of());
    int version = latest.map(ConversationVersion::version).orElse(0);
    if (rows.isEmpty()) {
      if (expected.isEmpty()) {
        diffs.add(new Difference(day, Kind.MISSING, c.channel(), c.id(), version, ""));
      }
      for (Mailbox m : expected) {
        diffs.add(new Difference(day, Kind.MISSING, c.channel(), c.id(), version, m.address()));
      }
      return;
    }
    if (!latest.get().fingerprint().equals(f.fingerprint())) {
      diffs.add(new Difference(day, Kind.STALE, c.channel(), c.id(), version, ""));
    }
    Set<Mailbox> delivered = new LinkedHashSet<>();
    for (DeliveryRecord row : rows) {
      delivered.add(row.mailbox());
      counts.ledgerCopies++;
      Copy copy = onTarget(row, latest.get());
      if (copy == Copy.INTACT || copy == Copy.ALTERED) {
        counts.targetCopies++;
      }
      copy.difference()
          .ifPresent(
              kind ->
                  diffs.add(
                      new Difference(
                          day, kind, c.channel(), c.id(), version, row.mailbox().address())));
    }
    for (Mailbox m : expected) {
      if (!delivered.contains(m)) {
        if (present(m, latest.get().key())) {
          counts.targetCopies++; // there without its ledger row: the repair records it, no copy
        }
        diffs.add(
            new Difference(day, Kind.NOT_DELIVERED, c.channel(), c.id(), version, m.address()));
      }
    }
  }

  /**
   * Re-reads by id every conversation with a difference a repair can fix, after forgetting the
   * ledger rows of copies missing on the target (audited), and archives each as a sync would: only
   * mailboxes without a copy get one. Altered copies and extra conversations are left as they are.
   */
  public Repair repair(Report report, SyncJob sync, SyncListener listener)
      throws InterruptedException {
    int forgotten = 0;
    Set<SyncJob.ConversationRef> refs = new LinkedHashSet<>();
    for (Difference d : report.differences()) {
      if (d.kind() == Kind.MISSING_ON_TARGET
          && state.forgetDelivery(
              new MessageKey(account, d.channel(), d.conversationId(), d.version()),
              new Mailbox(d.mailbox()),
              "reconcile: no copy on the target")) {
        forgotten++;
      }
      if (d.kind().repairable()) {
        refs.add(new SyncJob.ConversationRef(d.channel(), d.conversationId()));
      }
    }
    SyncReport archived = sync.archiveById("repair", List.copyOf(refs), listener);
    return new Repair(forgotten, refs.size(), archived);
  }

  /** Writes the result to the audit trail: totals, the days and the differences. */
  public void audit(Report report, Optional<Repair> repair) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("from", report.range().from().toString());
    detail.put("to", report.range().to().toString());
    detail.put("livePerson", report.livePerson());
    detail.put("expectedCopies", report.expectedCopies());
    detail.put("ledgerCopies", report.ledgerCopies());
    detail.put("targetCopies", report.targetCopies());
    for (Kind k : Kind.values()) {
      detail.put(k.label(), report.count(k));
    }
    detail.put("repaired", repair.isPresent());
    repair.ifPresent(
        r -> {
          detail.put("repairForgotten", r.forgotten());
          detail.put("repairConversations", r.conversations());
          detail.put("repairDelivered", r.sync().deliveries());
          detail.put("repairDeadLetters", r.sync().deadLetters());
        });
    List<Map<String, Object>> days = new ArrayList<>();
    for (Day d : report.days()) {
      Map<String, Object> day = new LinkedHashMap<>();
      day.put("day", d.day().toString());
      day.put("livePerson", d.livePerson());
      day.put("expectedCopies", d.expectedCopies());
      day.put("ledgerCopies", d.ledgerCopies());
      day.put("targetCopies", d.targetCopies());
      day.put("differences", report.differences(d.day()).size());
      days.add(day);
    }
    detail.put("days", days);
    detail.put(
        "differences",
        report.differences().stream()
            .limit(AUDITED_DIFFERENCES)
            .map(d -> d.day() + " " + d.describe())
            .toList());
    state.audit("reconcile", report.range().from() + ".." + report.range().to(), detail);
  }

  /** What the target holds for one ledger row. */
  private enum Copy {
    INTACT,
    ALTERED,
    MISSING,
    /** The target cannot be read back from here (SMTP): neither counted nor a difference. */
    UNKNOWN;

    Optional<Kind> difference() {
      return switch (this) {
        case ALTERED -> Optional.of(Kind.ALTERED);
        case MISSING -> Optional.of(Kind.MISSING_ON_TARGET);
        default -> Optional.empty();
      };
    }
  }

  private Copy onTarget(DeliveryRecord row, ConversationVersion version) {
    if (!(sink instanceof ArchiveReader reader)) {
      return present(row.mailbox(), row.key()) ? Copy.INTACT : Copy.MISSING;
    }
    ReadBack back;
    try {
      back = reader.readBack(row.mailbox(), row.key(), row.targetItemId());
    } catch (DeliveryException e) {
      throw new TargetFailingException(sink.type(), e.getMessage());
    }
    if (back instanceof ReadBack.Missing) {
      return Copy.MISSING;
    }
    if (back instanceof ReadBack.Bytes b) {
      return b.sha256().equalsIgnoreCase(row.emailSha256()) ? Copy.INTACT : Copy.ALTERED;
    }
    if (back instanceof ReadBack.Attested a) {
      boolean intact =
          a.conversationJsonSha256()
                  .filter(
                      (row.sourceSha256().isEmpty() ? version.sourceSha256() : row.sourceSha256())
                          ::equalsIgnoreCase)
                  .isPresent()
              && a.recordedEmailSha256().map(row.emailSha256()::equalsIgnoreCase).orElse(true);
      return intact ? Copy.INTACT : Copy.ALTERED;
    }
    return Copy.UNKNOWN;
  }

  private boolean present(Mailbox mailbox, MessageKey key) {
    try {
      return sink.find(mailbox, key).isPresent();
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

  /** The start day of a record that could not be parsed, when its start time can be read. */
  private static Optional<LocalDate> startDay(byte[] raw) {
    try {
      JsonNode info = JSON.readTree(raw).path("info");
      return info.path("startTimeL").canConvertToLong() && info.path("startTimeL").asLong() > 0
          ? Optional.of(day(Instant.ofEpochMilli(info.path("startTimeL").asLong())))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }

  /** The day after the last instant of the exclusive range end. */
  private static LocalDate dayAfter(Instant exclusiveEnd) {
    return day(exclusiveEnd.minusNanos(1)).plusDays(1);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** A day's counters while comparing. */
  private static final class Counts {
    int livePerson;
    int expectedCopies;
    int ledgerCopies;
    int targetCopies;
  }
}
