package io.lparchiver.bench;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigLoader;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.Sha256;
import io.lparchiver.state.CopyRecord;
import io.lparchiver.state.RecordedVersion;
import io.lparchiver.state.StateStore;
import io.lparchiver.wiring.Stages;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * lp-archiver's IMAP delivery stage on its own, for the IMAP benchmark: the same rendered messages
 * as {@link ImapFloor} (a Maildir archive lp-archiver wrote), delivered through the configured
 * {@code ImapSink} (its connection pool, folder index and lookups) with the ledger calls {@code
 * ConversationProcessor} makes for each conversation (version, earlier versions, find, deliver,
 * ledger row with its audit entry, dead-letter check), by {@code target.concurrency} threads taking
 * conversations from one queue as the lanes do. No fetching, parsing or rendering: what is left is
 * what lp-archiver adds to the APPENDs.
 *
 * <p>Usage: {@code ImapDeliveryStage <config.yaml> <archiveRoot> <stateDir>}.
 */
public final class ImapDeliveryStage {

  private ImapDeliveryStage() {}

  /**
   * One conversation version, the file of one of its copies (all are the same bytes), and the
   * mailboxes its copies go to. The file is read when the copy is delivered, as the minimal loop
   * reads its files: at 20,000 conversations the copies do not fit in the heap.
   */
  private record Conversation(MessageKey key, Instant start, Path email, List<Mailbox> mailboxes) {}

  public static void main(String[] args) throws Exception {
    ArchiverConfig config = ConfigLoader.fromSystem().load(Path.of(args[0]));
    Path archive = Path.of(args[1]);
    Path stateDir = Path.of(args[2]);
    List<Conversation> conversations = conversations(archive, config.target().folder());
    Clock clock = Clock.systemUTC();
    MailboxSink sink = Stages.sink(config, clock);
    Set<Mailbox> foldersEnsured = ConcurrentHashMap.newKeySet();
    int threads = config.target().concurrency();
    AtomicInteger copies = new AtomicInteger();
    // timed from here: reading the archive and starting the JVM are not the stage's work
    long startNanos = System.nanoTime();
    long startCpuNanos = processCpuNanos();
    try (StateStore state = StateStore.open(stateDir, clock)) {
      ConcurrentLinkedQueue<Conversation> queue = new ConcurrentLinkedQueue<>(conversations);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> lanes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          lanes.add(
              pool.submit(
                  () -> {
                    for (Conversation c = queue.poll(); c != null; c = queue.poll()) {
                      copies.addAndGet(archive(state, sink, foldersEnsured, c));
                    }
                    return null;
                  }));
        }
        for (Future<?> lane : lanes) {
          lane.get();
        }
      } finally {
        pool.shutdownNow(); // after a failure too: the JVM must end
      }
    } finally {
      sink.close();
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double cpuSeconds = (processCpuNanos() - startCpuNanos) / 1e9;
    System.out.printf(
        "imap delivery stage: %d copies of %d conversations delivered by %d threads%n",
        copies.get(), conversations.size(), threads);
    // the last line, for ImapBenchmark
    System.out.printf(Locale.ROOT, "{\"seconds\":%.3f,\"cpuSeconds\":%.3f}%n", seconds, cpuSeconds);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static int archive(
      StateStore state, MailboxSink sink, Set<Mailbox> foldersEnsured, Conversation c)
      throws Exception {
    MessageKey key = c.key();
    byte[] bytes = Files.readAllBytes(c.email());
    String sha256 = Sha256.of(bytes);
    RecordedVersion version =
        state.recordVersion(
            key.account(), key.channel(), key.conversationId(), sha256, sha256, c.start());
    state.versionsBefore(version.version().key());
    ArchiveEmail email = new ArchiveEmail(key, bytes, sha256, "");
    int delivered = 0;
    List<CopyRecord> copies = new ArrayList<>();
    for (Mailbox mailbox : c.mailboxes()) {
      if (!version.isNew() && state.isDelivered(key, mailbox)) {
        continue;
      }
      if (!foldersEnsured.contains(mailbox)) {
        // as the processor does: two threads may both ensure it, none goes on before it is
        sink.ensureFolder(mailbox);
        foldersEnsured.add(mailbox);
      }
      if (sink.find(mailbox, key).isPresent()) {
        throw new IllegalStateException("an emptied server holds " + key.messageId());
      }
      Receipt written = sink.deliver(mailbox, email);
      copies.add(CopyRecord.of(BenchSupport.delivered(email, written, sink.type(), sha256)));
      delivered++;
    }
    // as the processor does: the conversation's rows in one write after its last copy
    state.recordCopies(key, List.of(), copies);
    state.resolveDeadLetters(key.account(), key.channel(), key.conversationId());
    return delivered;
  }

  /**
   * The archive's messages grouped by conversation version, in the order of their start as the sync
   * meets them (read mailbox by mailbox, they would send every lane to one mailbox at a time).
   */
  private static List<Conversation> conversations(Path archive, String folder)
      throws IOException, MessagingException {
    Map<MessageKey, Conversation> byKey = new LinkedHashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(archive)) {
      for (Path mailboxDir : dirs) {
        Mailbox mailbox = new Mailbox(mailboxDir.getFileName().toString());
        try (DirectoryStream<Path> files =
            Files.newDirectoryStream(mailboxDir.resolve(".INBOX." + folder).resolve("new"))) {
          for (Path file : files) {
            InternetHeaders headers;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
              headers = new InternetHeaders(in); // the header block only
            }
            MessageKey key = keyOf(headers, file);
            Instant start =
                Instant.from(
                    DateTimeFormatter.RFC_1123_DATE_TIME.parse(headers.getHeader("Date", null)));
            byKey
                .computeIfAbsent(key, k -> new Conversation(k, start, file, new ArrayList<>()))
                .mailboxes()
                .add(mailbox);
          }
        }
      }
    }
    List<Conversation> out = new ArrayList<>(byKey.values());
    out.sort(
        Comparator.comparing(Conversation::start)
            .thenComparing(c -> c.key().messageId())); // a fixed order for equal starts
    return out;
  }

  /** The key from the X-LivePerson headers (docs/email-format.md). */
  private static MessageKey keyOf(InternetHeaders headers, Path file) {
    String channel = headers.getHeader("X-LivePerson-Channel", null);
    if (channel == null) {
      throw new IllegalArgumentException(file + " is not an lp-archiver email");
    }
    return new MessageKey(
        headers.getHeader("X-LivePerson-Account", null),
        channel.equals("chat") ? Channel.CHAT : Channel.MESSAGING,
        headers.getHeader("X-LivePerson-Conversation-Id", null),
        Integer.parseInt(headers.getHeader("X-LivePerson-Version", null)));
  }
}
