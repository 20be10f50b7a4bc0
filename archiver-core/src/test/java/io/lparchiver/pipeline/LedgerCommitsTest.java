package io.lparchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.maildir.MaildirSink;
import io.lparchiver.mapping.MappingOverrides;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.source.liveperson.RetryPolicy;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.DeliveryRecord;
import io.lparchiver.state.StateProbe;
import io.lparchiver.state.StateStore;
import io.lparchiver.testing.SimulatorClients;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a conversation's copies reach the ledger: in one commit after the last copy when the target
 * finds what a crashed run wrote (Maildir, IMAP, Graph), after each copy when it cannot (SMTP), and
 * always for the copies made before one that failed.
 */
class LedgerCommitsTest {

  private static final Clock CLOCK = Clock.systemUTC();
  private static final Mailbox FALLBACK = new Mailbox("compliance-archive@brand.example");
  // every conversation gets a second copy: the order of two copies' rows is what is tested
  private static final Mailbox JOURNAL = new Mailbox("journal@brand.example");

  @TempDir Path dir;

  @Test
  void aTargetThatFindsEveryCopyGetsOneLedgerCommitPerConversation() throws Exception {
    List<Observed> seen = sync(true, false);

    assertThat(seen).hasSizeGreaterThanOrEqualTo(2 * 10);
    assertThat(seen)
        .as("no row of the conversation is committed while its copies are being written")
        .allSatisfy(o -> assertThat(o.rowsBefore()).isZero());
    try (StateStore state = StateStore.open(dir.resolve("state"), CLOCK)) {
      for (Observed o : seen) {
        assertThat(state.isDelivered(o.key(), o.mailbox())).as(o.toString()).isTrue();
      }
      assertThat(state.openDeadLetters()).isEmpty();
    }
  }

  @Test
  void aVersionIsOnDiskBeforeItsFirstCopyIsWritten() throws Exception {
    // one lane, so that no other conversation commits between this one's flush and its copy
    List<Observed> seen = sync(true, false, 1);

    assertThat(seen).hasSizeGreaterThanOrEqualTo(2 * 10);
    assertThat(seen)
        .as("every commit before the copy, the version's above all, is flushed to disk")
        .allSatisfy(o -> assertThat(o.unflushedCommits()).isZero());
  }

  @Test
  void aTargetThatCannotFindCopiesGetsARowAfterEachCopy() throws Exception {
    List<Observed> seen = sync(false, false);

    assertThat(seen).hasSizeGreaterThanOrEqualTo(2 * 10);
    assertThat(seen)
        .as("each earlier copy of the conversation is in the ledger before the next is written")
        .allSatisfy(o -> assertThat(o.rowsBefore()).isEqualTo(o.copiesBefore()));
    assertThat(seen).anySatisfy(o -> assertThat(o.copiesBefore()).isPositive());
  }

  @Test
  void theCopiesBeforeAFailedOneAreRecordedAndTheFailureIsDeadLettered() throws Exception {
    List<Observed> seen = sync(true, true);

    Observed failed = seen.stream().filter(Observed::failed).findFirst().orElseThrow();
    try (StateStore state = StateStore.open(dir.resolve("state"), CLOCK)) {
      List<DeliveryRecord> rows = state.deliveries(failed.key());
      assertThat(rows)
          .as("the copies written before the failure")
          .extracting(DeliveryRecord::mailbox)
          .containsExactlyElementsOf(
              seen.stream()
                  .filter(o -> o.key().equals(failed.key()) && !o.failed())
                  .map(Observed::mailbox)
                  .toList())
          .isNotEmpty()
          .doesNotContain(failed.mailbox());
      assertThat(state.openDeadLetters())
          .extracting(DeadLetter::conversationId, DeadLetter::mailbox)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  failed.key().conversationId(), failed.mailbox().address()));
    }
  }

  /** One call of deliver: how many copies of its version were written and recorded before. */
  private record Observed(
      MessageKey key,
      Mailbox mailbox,
      int copiesBefore,
      int rowsBefore,
      long unflushedCommits,
      boolean failed) {}

  /**
   * Syncs 20 conversations into a Maildir that says whether it {@code findsEveryCopy}; with {@code
   * failOne}, the second copy of the first conversation to get one fails for good.
   */
  private List<Observed> sync(boolean findsEveryCopy, boolean failOne) throws Exception {
    return sync(findsEveryCopy, failOne, 4);
  }

  private List<Observed> sync(boolean findsEveryCopy, boolean failOne, int lanes) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(20, 4, 5, now, 3));
    List<Observed> seen = new ArrayList<>();
    try (LivePersonSimulator sim =
            LivePersonSimulator.builder()
                .port(0)
                .credentials(SimulatorCredentials.demo())
                .dataSet(data)
                .faults(Faults.none())
                .build()
                .start();
        StateStore state = StateStore.open(dir.resolve("state"), CLOCK);
        MaildirSink maildir = new MaildirSink(dir.resolve("archive"), "Archive", CLOCK)) {
      LivePersonClient client = SimulatorClients.demo(sim, RetryPolicy.defaults());
      MailboxSink sink = new Watching(maildir, state, findsEveryCopy, failOne, seen);
      SyncJob job =
          new SyncJob(
              sim.account(),
              List.of(client.messaging()),
              new ParticipantMapper(
                  MappingOverrides.none(),
                  client.users()::find,
                  m -> true,
                  Optional.of(FALLBACK),
                  List.of(JOURNAL)),
              new EmailRenderer(ZoneOffset.UTC),
              sink,
              state,
              CLOCK,
              new DeliveryRetry(1, Duration.ofMillis(1), d -> {}),
              now.minus(5, ChronoUnit.DAYS),
              Duration.ofMinutes(30),
              lanes,
              Optional.empty(),
              Optional.empty(),
              OpenSnapshots.off());
      SyncReport report =
          job.run(new SyncJob.Options(Optional.empty(), false), SyncJob.Progress.none());
      assertThat(report.conversations()).as("the closed ones of the 20").isGreaterThan(10);
    }
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** A Maildir that notes, at each copy, what the ledger already holds of its version. */
  private static final class Watching implements MailboxSink {
    private final MaildirSink maildir;
    private final StateStore state;
    private final boolean findsEveryCopy;
    private final boolean failOne;
    private final List<Observed> seen;
    private final Map<MessageKey, Integer> copies = new ConcurrentHashMap<>();
    private boolean failedOne; // guarded by seen

    Watching(
        MaildirSink maildir,
        StateStore state,
        boolean findsEveryCopy,
        boolean failOne,
        List<Observed> seen) {
      this.maildir = maildir;
      this.state = state;
      this.findsEveryCopy = findsEveryCopy;
      this.failOne = failOne;
      this.seen = seen;
    }

    @Override
    public String type() {
      return maildir.type();
    }

    @Override
    public void ensureFolder(Mailbox mailbox) throws DeliveryException {
      maildir.ensureFolder(mailbox);
    }

    @Override
    public Optional<Receipt> find(Mailbox mailbox, MessageKey key) throws DeliveryException {
      return maildir.find(mailbox, key);
    }

    @Override
    public boolean findsEveryCopy() {
      return findsEveryCopy;
    }

    @Override
    public Receipt deliver(Mailbox mailbox, ArchiveEmail email) throws DeliveryException {
      MessageKey key = email.key();
      int before = copies.getOrDefault(key, 0); // one conversation is on one lane at a time
      int rows = state.deliveries(key).size();
      long unflushed = StateProbe.unflushedCommits(state);
      synchronized (seen) {
        boolean fail = failOne && !failedOne && before == 1;
        failedOne |= fail;
        seen.add(new Observed(key, mailbox, before, rows, unflushed, fail));
        if (fail) {
          throw new DeliveryException("refused by the test for " + mailbox, false);
        }
      }
      Receipt receipt = maildir.deliver(mailbox, email);
      copies.merge(key, 1, Integer::sum);
      return receipt;
    }
  }
}
