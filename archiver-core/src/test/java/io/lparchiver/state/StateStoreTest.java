package io.lparchiver.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.model.Channel;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.SharedFile;
import io.lparchiver.state.DeliveryRecord.Outcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

  private static final String ACCOUNT = "12345678";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Mailbox ANN = new Mailbox("ann.lee@brand.example");
  private static final Mailbox BOB = new Mailbox("bob@brand.example");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private StateStore store;

  @BeforeEach
  void open() {
    store = StateStore.open(dir, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ConversationVersion version(String id, String fingerprint) {
    return store
        .recordVersion(ACCOUNT, Channel.MESSAGING, id, fingerprint, "src-" + fingerprint, T0)
        .version();
  }

  private static DeliveryRecord delivery(MessageKey key, Mailbox mailbox, Instant at) {
    return new DeliveryRecord(
        key, mailbox, "sha-" + mailbox, 1234, "maildir", "item-1", Outcome.DELIVERED, at);
  }

  @Test
  void recordVersionNumbersEachNewFingerprintAndNeverOverwrites() {
    assertThat(store.latestVersion(ACCOUNT, Channel.MESSAGING, "c1")).isEmpty();

    ConversationVersion first = version("c1", "A");
    assertThat(first.version()).isEqualTo(1);
    assertThat(first.firstSeen()).isEqualTo(T0);
    clock.advance(Duration.ofMinutes(1));
    assertThat(version("c1", "A")).isEqualTo(first);

    assertThat(version("c1", "B").version()).isEqualTo(2);
    assertThat(version("c1", "B").version()).isEqualTo(2);
    // Back to the first content: a new version, threaded after the second.
    assertThat(version("c1", "A").version()).isEqualTo(3);
    assertThat(version("c1", "B").version()).isEqualTo(4);

    assertThat(store.latestVersion(ACCOUNT, Channel.MESSAGING, "c1"))
        .get()
        .extracting(ConversationVersion::version, ConversationVersion::fingerprint)
        .containsExactly(4, "B");
    // Channels and ids are separate sequences.
    assertThat(store.recordVersion(ACCOUNT, Channel.CHAT, "c1", "A", "s", T0).version().version())
        .isEqualTo(1);
    assertThat(version("c2", "A").version()).isEqualTo(1);
  }

  @Test
  void recordVersionTellsWhetherItRecordedTheVersion() {
    RecordedVersion first = store.recordVersion(ACCOUNT, Channel.MESSAGING, "c1", "A", "src-A", T0);
    assertThat(first.isNew()).isTrue();
    assertThat(first.version().version()).isEqualTo(1);

    RecordedVersion again = store.recordVersion(ACCOUNT, Channel.MESSAGING, "c1", "A", "src-A", T0);
    assertThat(again.isNew()).isFalse();
    assertThat(again.version()).isEqualTo(first.version());

    assertThat(store.recordVersion(ACCOUNT, Channel.MESSAGING, "c1", "B", "src-B", T0))
        .extracting(RecordedVersion::isNew, r -> r.version().version())
        .containsExactly(true, 2);
  }

  @Test
  void idsThatCannotBecomeMessageIdsAreRejectedBeforeAnyWrite() {
    assertThatThrownBy(() -> version("c1\r\nBcc: x", "A"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.counts().versions()).isZero();
  }

  @Test
  void versionsBeforeListsEarlierKeysOldestFirst() {
    version("c1", "A");
    version("c1", "B");
    ConversationVersion third = version("c1", "C");

    assertThat(third.key().version()).isEqualTo(3);
    assertThat(store.versionsBefore(third.key()))
        .containsExactly(
            new MessageKey(ACCOUNT, Channel.MESSAGING, "c1", 1),
            new MessageKey(ACCOUNT, Channel.MESSAGING, "c1", 2));
    assertThat(store.versionsBefore(new MessageKey(ACCOUNT, Channel.MESSAGING, "c1", 1))).isEmpty();
  }

  @Test
  void recordDeliveryIsIdempotent() {
    MessageKey key = version("c1", "A").key();
    assertThat(store.isDelivered(key, ANN)).isFalse();

    assertThat(store.recordDelivery(delivery(key, ANN, T0))).isTrue();
    DeliveryRecord second =
        new DeliveryRecord(key, ANN, "other", 1, "graph", "x", Outcome.FOUND_ON_TARGET, T0);
    assertThat(store.recordDelivery(second)).isFalse();

    assertThat(store.isDelivered(key, ANN)).isTrue();
    assertThat(store.isDelivered(key, BOB)).isFalse();
    assertThat(store.deliveries(key)).containsExactly(delivery(key, ANN, T0));
  }

  @Test
  void recordDeliveryNeedsTheVersionFirst() {
    MessageKey unknown = new MessageKey(ACCOUNT, Channel.MESSAGING, "nope", 1);

    assertThatThrownBy(() -> store.recordDelivery(delivery(unknown, ANN, T0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recordVersion");
    assertThat(store.counts().deliveries()).isZero();
  }

  @Test
  void recordCopiesWritesFilesAndRowsTogetherOrNothing() {
    MessageKey key = version("c1", "A").key();
    List<SharedFile> files =
        List.of(
            new SharedFile.Downloaded(
                "accounts/1/a.png", "a.png", "image/png", new byte[] {1, 2}, "sha-a"));
    long auditBefore = store.exportAudit(e -> {});

    store.recordCopies(
        key,
        files,
        List.of(CopyRecord.of(delivery(key, ANN, T0)), CopyRecord.of(delivery(key, BOB, T0))));

    assertThat(store.deliveries(key)).extracting(DeliveryRecord::mailbox).containsExactly(ANN, BOB);
    assertThat(store.sharedFiles(key))
        .extracting(SharedFileRecord::sha256)
        .containsExactly("sha-a");
    assertThat(store.exportAudit(e -> {}))
        .as("a file and two deliveries")
        .isEqualTo(auditBefore + 3);

    // a version never recorded: neither its files nor its copies are written
    MessageKey unknown = new MessageKey(ACCOUNT, Channel.MESSAGING, "nope", 1);
    assertThatThrownBy(
            () ->
                store.recordCopies(
                    unknown, files, List.of(CopyRecord.of(delivery(unknown, ANN, T0)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recordVersion");
    assertThat(store.sharedFiles(unknown)).isEmpty();
    assertThat(store.deliveries(unknown)).isEmpty();

    // another version's copy with these files: refused before anything is written
    MessageKey other = version("c2", "A").key();
    assertThatThrownBy(
            () ->
                store.recordCopies(
                    key, List.of(), List.of(CopyRecord.of(delivery(other, ANN, T0)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(other.toString());
    assertThat(store.deliveries(other)).isEmpty();

    long auditNow = store.exportAudit(e -> {});
    store.recordCopies(key, List.of(), List.of());
    store.recordCopies(key, files, List.of(CopyRecord.of(delivery(key, ANN, T0))));
    assertThat(store.exportAudit(e -> {})).as("what exists is left as it is").isEqualTo(auditNow);
  }

  @Test
  void everythingSurvivesCloseAndReopen() {
    MessageKey key = version("c1", "A").key();
    Instant at = Instant.parse("2026-03-01T10:00:00.123456789Z");
    store.recordDelivery(delivery(key, ANN, at));
    store.saveCheckpoint("messaging.window", at);
    long run = store.startRun("sync");
    store.close();

    store = StateStore.open(dir, clock);

    assertThat(store.deliveries(key)).containsExactly(delivery(key, ANN, at));
    assertThat(store.recordDelivery(delivery(key, ANN, at))).isFalse();
    assertThat(store.instantCheckpoint("messaging.window")).contains(at);
    assertThat(store.lastRun()).get().extracting(RunRecord::id).isEqualTo(run);
    assertThat(version("c1", "A").version()).isEqualTo(1);
    assertThat(store.verifyAudit().intact()).isTrue();
  }

  @Test
  void checkpointsRoundTripInstantsExactly() {
    assertThat(store.instantCheckpoint("missing")).isEmpty();
    Instant nanos = Instant.parse("2025-11-01T00:00:00.000000001Z");

    store.saveCheckpoint("chat.window", nanos);
    assertThat(store.instantCheckpoint("chat.window")).contains(nanos);

    Instant later = Instant.parse("2026-01-01T00:00:00Z");
    store.saveCheckpoint("chat.window", later);
    assertThat(store.instantCheckpoint("chat.window")).contains(later);
    assertThatThrownBy(() -> store.saveCheckpoint(" ", later))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deadLettersCountAttemptsAndResolve() {
    store.deadLetter(
        DeadLetter.of(
            ACCOUNT, Channel.MESSAGING, "c1", 0, "", DeadLetterStage.RENDER, "bad json", T0));
    clock.advance(Duration.ofMinutes(5));
    Instant later = clock.instant();
    store.deadLetter(
        DeadLetter.of(
            ACCOUNT, Channel.MESSAGING, "c1", 2, "", DeadLetterStage.RENDER, "still bad", later));
    store.deadLetter(
        DeadLetter.of(
            ACCOUNT,
            Channel.MESSAGING,
            "c1",
            2,
            ANN.address(),
            DeadLetterStage.DELIVER,
            "413",
            later));

    assertThat(store.openDeadLetters())
        .containsExactly(
            new DeadLetter(
                ACCOUNT,
                Channel.MESSAGING,
                "c1",
                2,
                "",
                DeadLetterStage.RENDER,
                "still bad",
                2,
                T0,
                later),
            new DeadLetter(
                ACCOUNT,
                Channel.MESSAGING,
                "c1",
                2,
                ANN.address(),
                DeadLetterStage.DELIVER,
                "413",
                1,
                later,
                later));
    assertThat(store.counts().openDeadLetters()).isEqualTo(2);

    store.resolveDeadLetters(ACCOUNT, Channel.MESSAGING, "c1");
    assertThat(store.openDeadLetters()).isEmpty();

    // A later failure opens a fresh row; the resolved ones stay as history.
    store.deadLetter(
        DeadLetter.of(
            ACCOUNT, Channel.MESSAGING, "c1", 2, "", DeadLetterStage.RENDER, "again", later));
    assertThat(store.openDeadLetters())
        .singleElement()
        .extracting(DeadLetter::attempts)
        .isEqualTo(1);
  }

  @Test
  void deadLetterReasonsNeverKeepCredentials() {
    store.deadLetter(
        DeadLetter.of(
            ACCOUNT,
            Channel.CHAT,
            "c1",
            0,
            "",
            DeadLetterStage.FETCH,
            "401 for https://lp/x?oauth_signature=abc123&oauth_token=tok1 Authorization: Bearer eyJ.x.y",
            T0));

    String reason = store.openDeadLetters().get(0).reason();
    assertThat(reason).doesNotContain("abc123", "tok1", "eyJ.x.y").contains("401", "Bearer ***");
  }

  @Test
  void runsAreRecordedWithTheirSummary() {
    assertThat(store.lastRun()).isEmpty();
    long first = store.startRun("sync");
    clock.advance(Duration.ofSeconds(30));
    RunSummary summary = new RunSummary(10, 10, 15, 2, 1, 3, 3);
    store.finishRun(first, summary);
    clock.advance(Duration.ofMinutes(15));
    long second = store.startRun("sync");

    assertThat(second).isGreaterThan(first);
    assertThat(store.lastRun())
        .contains(
            new RunRecord(second, "sync", clock.instant(), Optional.empty(), Optional.empty()));
    store.finishRun(second, new RunSummary(0, 0, 0, 0, 0, 0, 0));
    assertThat(store.lastRun()).get().extracting(r -> r.finished().isPresent()).isEqualTo(true);
    assertThatThrownBy(() -> store.finishRun(first, summary))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lastRunShowsTheFinishedSummary() {
    long id = store.startRun("retry");
    clock.advance(Duration.ofSeconds(30));
    RunSummary summary = new RunSummary(10, 10, 15, 2, 1, 3, 3);
    store.finishRun(id, summary);

    assertThat(store.lastRun())
        .contains(
            new RunRecord(id, "retry", T0, Optional.of(clock.instant()), Optional.of(summary)));
  }

  @Test
  void countsAndDeliveriesPerMailbox() {
    MessageKey c1v1 = version("c1", "A").key();
    MessageKey c1v2 = version("c1", "B").key();
    MessageKey c2v1 = version("c2", "A").key();
    store.recordDelivery(delivery(c1v1, BOB, T0));
    store.recordDelivery(delivery(c1v1, ANN, T0));
    store.recordDelivery(delivery(c1v2, ANN, T0));
    store.recordDelivery(delivery(c2v1, ANN, T0));
    store.deadLetter(
        DeadLetter.of(ACCOUNT, Channel.CHAT, "c3", 0, "", DeadLetterStage.MAP, "unmapped", T0));

    assertThat(store.counts()).isEqualTo(new LedgerCounts(2, 3, 4, 2, 1));
    assertThat(store.deliveriesPerMailbox())
        .containsExactly(Map.entry(ANN.address(), 3L), Map.entry(BOB.address(), 1L));
  }

  @Test
  void auditChainCoversEveryWriteAndStaysIntact() throws SQLException {
    MessageKey key = version("c1", "A").key();
    store.recordDelivery(delivery(key, ANN, T0));
    store.recordDelivery(delivery(key, ANN, T0)); // duplicate: no entry
    store.deadLetter(
        DeadLetter.of(ACCOUNT, Channel.CHAT, "c9", 0, "", DeadLetterStage.FETCH, "500", T0));
    store.finishRun(store.startRun("sync"), new RunSummary(1, 1, 1, 1, 1, 1, 3));

    assertThat(store.verifyAudit()).isEqualTo(new AuditVerification(true, 5, Optional.empty()));
    assertThat(
            column("SELECT group_concat(event, ',') FROM (SELECT event FROM audit ORDER BY seq)"))
        .isEqualTo("version,delivery,dead_letter,run_start,run_finish");
  }

  @Test
  void auditRejectsUpdatesAndDetectsTampering() throws SQLException {
    MessageKey key = version("c1", "A").key();
    store.recordDelivery(delivery(key, ANN, T0));
    store.recordDelivery(delivery(key, BOB, T0));
    store.close();

    try (Connection raw = DriverManager.getConnection(url());
        Statement st = raw.createStatement()) {
      assertThatThrownBy(() -> st.executeUpdate("UPDATE audit SET detail = '{}' WHERE seq = 2"))
          .hasMessageContaining("append-only");
      // A determined editor drops the guard first; the chain still gives it away.
      st.executeUpdate("DROP TRIGGER audit_no_update");
      st.executeUpdate("UPDATE audit SET detail = replace(detail, 'ann.lee', 'eve') WHERE seq = 2");
    }

    store = StateStore.open(dir, clock);
    AuditVerification result = store.verifyAudit();
    assertThat(result.intact()).isFalse();
    assertThat(result.entries()).isEqualTo(2);
    assertThat(result.firstBrokenEntry())
        .get()
        .asString()
        .startsWith("seq 2 (delivery <lp.12345678.c1.v1@lp-archiver> ann.lee@brand.example)")
        .contains("the entry was changed");
  }

  @Test
  void auditDetectsRecomputedHashThroughTheNextLink() throws SQLException {
    MessageKey key = version("c1", "A").key();
    store.recordDelivery(delivery(key, ANN, T0));
    store.recordDelivery(delivery(key, BOB, T0));
    store.close();

    try (Connection raw = DriverManager.getConnection(url());
        Statement st = raw.createStatement()) {
      st.executeUpdate("DROP TRIGGER audit_no_update");
      st.executeUpdate("UPDATE audit SET hash = '" + "f".repeat(64) + "' WHERE seq = 2");
    }

    store = StateStore.open(dir, clock);
    assertThat(store.verifyAudit().firstBrokenEntry()).get().asString().startsWith("seq 2");
  }

  @Test
  void concurrentRecordDeliveryOfOneKeyInsertsOneRow() throws Exception {
    MessageKey key = version("c1", "A").key();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        Callable<Boolean> task =
            () -> {
              start.await();
              return store.recordDelivery(delivery(key, ANN, T0));
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      int inserted = 0;
      for (Future<Boolean> result : results) {
        inserted += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(inserted).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.deliveries(key)).hasSize(1);
    assertThat(store.verifyAudit()).isEqualTo(new AuditVerification(true, 2, Optional.empty()));
  }

  @Test
  void reopeningDoesNotMigrateAgain() throws SQLException {
    String history = "SELECT count(*) || ':' || max(version) FROM flyway_schema_history";
    String before = column(history);
    store.close();

    store = StateStore.open(dir, clock);
    store.close();
    store = StateStore.open(dir, clock);

    assertThat(column(history)).isEqualTo(before).isEqualTo(migrationsOnDisk());
  }

  /** "count:highest version" of the migration scripts, so new migrations need no edit here. */
  private static String migrationsOnDisk() {
    try (java.util.stream.Stream<java.nio.file.Path> files =
        java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
      List<Integer> versions =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.matches("V\\d+__.+\\.sql"))
              .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
              .toList();
      return versions.size() + ":" + versions.stream().mapToInt(Integer::intValue).max().orElse(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theFileIsDurable() throws SQLException {
    assertThat(column("PRAGMA journal_mode")).isEqualTo("wal");
    assertThat(dir.resolve("lp-archiver.db")).isRegularFile();
    assertThat(store.file()).isEqualTo(dir.resolve("lp-archiver.db"));
  }

  private String url() {
    return "jdbc:sqlite:" + dir.resolve("lp-archiver.db").toAbsolutePath();
  }

  private String column(String sql) throws SQLException {
    try (Connection raw = DriverManager.getConnection(url());
        Statement st = raw.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void unmappedParticipantsCountEachConversationOnceAndKeepTheLatestName() {
    Instant early = Instant.parse("2026-01-01T10:00:00Z");
    Instant late = Instant.parse("2026-01-02T10:00:00Z");
    store.recordUnmapped("agent-1", "agent", "Old Name", "c1", early);
    store.recordUnmapped("agent-1", "agent", "New Name", "c2", late);
    store.recordUnmapped("agent-1", "agent", "New Name", "c2", late); // read again
    store.recordUnmapped("bot-9", "bot", "Bot", "c3", early);

    assertThat(store.unmappedParticipants(10))
        .containsExactly(
            new UnmappedParticipant("agent-1", "agent", "New Name", 2, late),
            new UnmappedParticipant("bot-9", "bot", "Bot", 1, early));
    assertThat(store.unmappedParticipants(1)).hasSize(1);
  }
}
