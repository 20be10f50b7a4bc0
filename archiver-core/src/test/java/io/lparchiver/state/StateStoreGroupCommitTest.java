package io.lparchiver.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.state.DeliveryRecord.Outcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lanes of a sync write versions and ledger rows at once, and those writes share commits: each
 * must still be atomic, a failing one must change nothing and not undo the others, and every write
 * that returned must be visible to the reads that follow (on the reader connection) and after a
 * reopen.
 */
class StateStoreGroupCommitTest {

  private static final String ACCOUNT = "12345678";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final int THREADS = 16;
  private static final int CONVERSATIONS_PER_THREAD = 25;

  @TempDir Path dir;

  @Test
  void concurrentWritesAllCommitAndAFailingOneUndoesOnlyItself() throws Exception {
    List<String> refused = new ArrayList<>();
    try (StateStore store = StateStore.open(dir, new MutableClock(T0))) {
      ExecutorService lanes = Executors.newFixedThreadPool(THREADS);
      List<Future<List<String>>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int lane = t;
        done.add(lanes.submit(() -> archive(store, lane)));
      }
      for (Future<List<String>> f : done) {
        refused.addAll(f.get(60, TimeUnit.SECONDS));
      }
      lanes.shutdown();

      int conversations = THREADS * CONVERSATIONS_PER_THREAD;
      assertThat(refused).hasSize(conversations); // one refused row per conversation
      assertThat(store.counts().deliveries()).isEqualTo(2L * conversations);
      AuditVerification audit = store.verifyAudit();
      assertThat(audit.intact()).isTrue();
      // per conversation: its version and two deliveries; nothing of the refused rows
      assertThat(audit.entries()).isEqualTo(3L * conversations);
      assertThat(store.ledgerDiscrepancies()).isEmpty();
      // the versions' flushes of the WAL, shared where they met; the ledger rows need none
      assertThat(store.walFlushes()).isPresent();
      assertThat(store.walFlushes().getAsLong()).isBetween(1L, (long) conversations);
    }
    try (StateStore reopened = StateStore.open(dir, new MutableClock(T0))) {
      assertThat(reopened.counts().deliveries()).isEqualTo(2L * THREADS * CONVERSATIONS_PER_THREAD);
      assertThat(reopened.verifyAudit().intact()).isTrue();
    }
  }

  @Test
  void aVersionReturnsAfterAFlushOfTheWalAndALedgerRowWithoutOne() {
    try (StateStore store = StateStore.open(dir, new MutableClock(T0))) {
      long before = store.walFlushes().orElseThrow();
      for (int i = 1; i <= 3; i++) {
        MessageKey key =
            store
                .recordVersion(ACCOUNT, Channel.MESSAGING, "c" + i, "fp" + i, "src" + i, T0)
                .version()
                .key();
        assertThat(store.walFlushes().getAsLong()).isEqualTo(before + i);
        store.recordDelivery(row(key, new Mailbox("ann@brand.example")));
        assertThat(store.walFlushes().getAsLong()).isEqualTo(before + i);
      }
      // the same content again records nothing new, but must not return before it is durable
      store.recordVersion(ACCOUNT, Channel.MESSAGING, "c1", "fp1", "src1", T0);
      assertThat(store.walFlushes().getAsLong()).isEqualTo(before + 4);
    }
  }

  @Test
  void aCommittedVersionIsFlushedWhenItsCallerAsks() {
    try (StateStore store = StateStore.open(dir, new MutableClock(T0))) {
      long before = store.walFlushes().orElseThrow();
      CommittedVersion v = store.commitVersion(ACCOUNT, Channel.MESSAGING, "c1", "fp1", "src1", T0);
      assertThat(v.recorded().isNew()).isTrue();
      assertThat(store.latestVersion(ACCOUNT, Channel.MESSAGING, "c1")).isPresent();
      assertThat(store.walFlushes().getAsLong()).isEqualTo(before);
      assertThat(store.unflushedCommits().getAsLong()).isPositive();

      store.awaitDurable(v);
      assertThat(store.walFlushes().getAsLong()).isEqualTo(before + 1);
      assertThat(store.unflushedCommits().getAsLong()).isZero();
      store.awaitDurable(v); // flushed already: no second flush
      assertThat(store.walFlushes().getAsLong()).isEqualTo(before + 1);
    }
  }

  /** One lane: per conversation a version, two copies, and a row for a version never recorded. */
  private static List<String> archive(StateStore store, int lane) {
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < CONVERSATIONS_PER_THREAD; i++) {
      String id = "c-" + lane + "-" + i;
      MessageKey key =
          store
              .recordVersion(ACCOUNT, Channel.MESSAGING, id, "fp-" + id, "src-" + id, T0)
              .version()
              .key();
      for (String address : List.of("ann@brand.example", "bob@brand.example")) {
        Mailbox mailbox = new Mailbox(address);
        assertThat(store.isDelivered(key, mailbox)).isFalse();
        assertThat(store.recordDelivery(row(key, mailbox))).isTrue();
        // what returned is visible at once to the reads of every thread
        assertThat(store.isDelivered(key, mailbox)).isTrue();
        assertThat(store.recordDelivery(row(key, mailbox))).isFalse(); // idempotent
      }
      MessageKey unknown = new MessageKey(ACCOUNT, Channel.MESSAGING, id, 2);
      try {
        store.recordDelivery(row(unknown, new Mailbox("ann@brand.example")));
      } catch (IllegalArgumentException e) {
        refused.add(e.getMessage());
      }
      store.resolveDeadLetters(ACCOUNT, Channel.MESSAGING, id);
      assertThat(store.versionsBefore(key)).isEmpty();
    }
    return refused;
  }

  private static DeliveryRecord row(MessageKey key, Mailbox mailbox) {
    return new DeliveryRecord(
        key, mailbox, "sha-" + mailbox, 1234, "imap", "1:1", Outcome.DELIVERED, T0);
  }
}
