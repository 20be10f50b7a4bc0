package io.lparchiver.bench;

import io.lparchiver.deliver.maildir.MaildirSink;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.state.CopyRecord;
import io.lparchiver.state.RecordedVersion;
import io.lparchiver.state.StateStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The CPU a conversation costs in delivery and the ledger, without fetching, parsing or rendering:
 * the calls {@code ConversationProcessor} makes for a conversation of two copies (version, ledger
 * reads, find, deliver into a Maildir, ledger row with its audit entry, dead-letter check), on one
 * thread, measured as that thread's CPU time. The A/B tool for the deliver and state code, where
 * the end-to-end sync is too noisy to show a change of a few percent.
 *
 * <p>{@code bench/run deliver [dir] [conversations] [rounds]}; point {@code dir} at a tmpfs such as
 * {@code /dev/shm} to leave the disk's fsync time out (it costs wall time, hardly CPU). Prints each
 * round and the median of the rounds after two of warm-up.
 */
public final class DeliverRecordBenchmark {

  private static final String ACCOUNT = "12345678";

  private DeliverRecordBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path base = Path.of(args.length > 0 ? args[0] : "/dev/shm/lp-archiver-deliver-bench");
    int conversations = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    byte[] body = new byte[20_000]; // about the median email of the end-to-end data set
    new Random(1).nextBytes(body);
    List<Mailbox> mailboxes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      mailboxes.add(new Mailbox("agent" + i + "@brand.example"));
    }
    List<Double> micros = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      Path dir = base.resolve("round-" + round);
      deleteTree(dir);
      Files.createDirectories(dir);
      try (StateStore state = StateStore.open(dir.resolve("state"), Clock.systemUTC())) {
        MaildirSink sink =
            new MaildirSink(
                dir.resolve("archive"),
                "LivePerson Conversational Cloud DataParser",
                Clock.systemUTC());
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < conversations; i++) {
          archive(state, sink, i, body, mailboxes);
        }
        double perConversation = (cpu.getCurrentThreadCpuTime() - start) / 1_000.0 / conversations;
        micros.add(perConversation);
        System.out.printf(
            "round %d: %.1f µs CPU per conversation (2 copies)%n", round + 1, perConversation);
      } finally {
        deleteTree(dir);
      }
    }
    List<Double> measured = new ArrayList<>(micros.subList(Math.min(2, rounds - 1), rounds));
    Collections.sort(measured);
    System.out.printf(
        "median %.1f µs, min %.1f µs CPU per conversation (rounds after warm-up: %d)%n",
        measured.get(measured.size() / 2), measured.get(0), measured.size());
  }

  private static void archive(
      StateStore state, MaildirSink sink, int n, byte[] body, List<Mailbox> mailboxes)
      throws Exception {
    String id =
        UUID.nameUUIDFromBytes(("conversation-" + n).getBytes(StandardCharsets.UTF_8)).toString();
    String fingerprint = "%064x".formatted(n);
    RecordedVersion version =
        state.recordVersion(
            ACCOUNT, Channel.MESSAGING, id, fingerprint, fingerprint, Instant.now());
    MessageKey key = version.version().key();
    state.versionsBefore(key);
    ArchiveEmail email = new ArchiveEmail(key, body, fingerprint, "subject");
    List<CopyRecord> copies = new ArrayList<>();
    for (Mailbox mailbox : List.of(mailboxes.get(n % 20), mailboxes.get((n * 7 + 3) % 20))) {
      // as ConversationProcessor: the ledger is asked only about a version it knew already
      if ((!version.isNew() && state.isDelivered(key, mailbox))
          || sink.find(mailbox, key).isPresent()) {
        throw new IllegalStateException("a fresh archive holds no copy of " + key.messageId());
      }
      Receipt written = sink.deliver(mailbox, email);
      copies.add(CopyRecord.of(BenchSupport.delivered(email, written, sink.type(), fingerprint)));
    }
    state.recordCopies(key, List.of(), copies); // one write after the last copy, as the processor
    state.resolveDeadLetters(ACCOUNT, Channel.MESSAGING, id);
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
