package io.lparchiver.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.model.Channel;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.state.DeliveryRecord.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-day counts and the log export behind the status page. */
class StateStoreActivityTest {

  private static final String ACCOUNT = "12345678";
  private static final Instant DAY1 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Mailbox ANN = new Mailbox("ann@brand.example");
  private static final Mailbox BOB = new Mailbox("bob@brand.example");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(DAY1);
  private StateStore store;

  @BeforeEach
  void open() {
    store = StateStore.open(dir, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private MessageKey version(String id) {
    return store
        .recordVersion(ACCOUNT, Channel.MESSAGING, id, "f-" + id, "s-" + id, DAY1)
        .version()
        .key();
  }

  private void deliver(MessageKey key, Mailbox mailbox, Outcome outcome) {
    store.recordDelivery(
        new DeliveryRecord(
            key,
            mailbox,
            "sha-" + key.conversationId(),
            100,
            "maildir",
            "it",
            outcome,
            clock.instant()));
  }

  private void deadLetter(String id, DeadLetterStage stage, String reason) {
    store.deadLetter(
        DeadLetter.of(ACCOUNT, Channel.MESSAGING, id, 0, "", stage, reason, clock.instant()));
  }

  /** Day 1: run 1 finds 3, imports 2 copies + 1 externalised, 1 unmapped. Day 2: run 2. */
  private void fill() {
    long run1 = store.startRun("sync");
    MessageKey c1 = version("c1");
    deliver(c1, ANN, Outcome.DELIVERED);
    deliver(c1, BOB, Outcome.EXTERNALISED);
    MessageKey c2 = version("c2");
    deliver(c2, ANN, Outcome.DELIVERED);
    deadLetter("c3", DeadLetterStage.MAP, "unmapped: <script>x</script>");
    store.finishRun(run1, new RunSummary(3, 2, 3, 0, 1, 2, 3));
    clock.advance(Duration.ofDays(1));
    long run2 = store.startRun("sync");
    deliver(version("c4"), BOB, Outcome.FOUND_ON_TARGET);
    deadLetter("c5", DeadLetterStage.DELIVER, "disk full");
    store.finishRun(run2, new RunSummary(4, 1, 0, 4, 1, 0, 3));
  }

  @Test
  void dailyActivityCountsEachDayFromRunsLedgerAndDeadLetters() {
    fill();
    LocalDate d1 = LocalDate.of(2026, 3, 1);
    List<DailyActivity> days = store.dailyActivity(d1.minusDays(1), d1.plusDays(1));
    assertThat(days)
        .containsExactly(
            DailyActivity.empty(d1.minusDays(1)),
            new DailyActivity(d1, 3, 2, 0, 1, 0, 1),
            new DailyActivity(d1.plusDays(1), 4, 0, 4, 0, 1, 0));
    assertThat(days.get(1).afterFanOut()).isEqualTo(3);
    assertThat(days.get(2).afterFanOut()).isEqualTo(5);
  }

  @Test
  void exportLogHasOneEntryPerLedgerRowAndDeadLetterWithItsRun() {
    fill();
    List<LogEntry> entries = new ArrayList<>();
    long n = store.exportLog(entries::add);
    assertThat(n).isEqualTo(6);
    assertThat(entries)
        .extracting(e -> e.conversationId() + "/" + e.mailbox() + "/" + e.outcome().label())
        .containsExactly(
            "c1/ann@brand.example/imported",
            "c1/bob@brand.example/externalised",
            "c2/ann@brand.example/imported",
            "c4/bob@brand.example/duplicate",
            "c3//unmapped",
            "c5//failed");
    assertThat(entries.get(0).runId()).isEqualTo(OptionalLong.of(1));
    assertThat(entries.get(3).runId()).isEqualTo(OptionalLong.of(2));
    assertThat(entries.get(4).reason()).startsWith("map: unmapped: <script>").contains("open");
    assertThat(entries.get(0).emailSha256()).isEqualTo("sha-c1");
    assertThat(entries.get(0).bytes()).isEqualTo(100);
  }

  @Test
  void anEmptyStoreHasEmptyDaysAndNoLog() {
    LocalDate d = LocalDate.of(2026, 3, 1);
    assertThat(store.dailyActivity(d, d)).containsExactly(DailyActivity.empty(d));
    assertThat(store.exportLog(e -> {})).isZero();
  }
}
