package io.lparchiver.deliver;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static io.lparchiver.deliver.TestEmails.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link MailboxSink} must do, whatever the target (Maildir, IMAP, SMTP, Graph). An
 * adapter test implements this interface, gives a fresh sink per test and a way to read back what
 * landed in a mailbox's archive folder; the cases below then run against it.
 */
public interface MailboxSinkContract {

  Mailbox ANN = new Mailbox("ann.lee@brand.example");
  Mailbox BOB = new Mailbox("bob.ray@brand.example");

  /** The sink under test, the same instance for the whole test method. */
  MailboxSink sink();

  /** The raw bytes of every message in the mailbox's archive folder, in any order. */
  List<byte[]> storedMessages(Mailbox mailbox) throws Exception;

  /**
   * What a stored message is compared by, applied to both the delivered email's MIME and each of
   * {@link #storedMessages}. Byte-exact targets (Maildir, IMAP) keep the default SHA-256 of the
   * bytes; a target that stores a converted item (Graph) returns a digest of everything it keeps
   * (Message-ID, subject, body, every attachment's SHA-256) computed the same way on both sides.
   */
  default String fingerprint(byte[] message) throws Exception {
    return sha256(message);
  }

  /**
   * A second sink on the same archive, as a Kafka Connect task on another worker holds one; empty
   * for a target that finds only the copies its own sink sent (SMTP journaling).
   */
  default Optional<MailboxSink> anotherWriter() throws Exception {
    return Optional.empty();
  }

  @Test
  default void deliveredCopyIsFound() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), "hello");
    sink().ensureFolder(ANN);

    Receipt delivered = sink().deliver(ANN, email);
    Optional<Receipt> found = sink().find(ANN, email.key());

    assertThat(delivered.alreadyPresent()).isFalse();
    assertThat(delivered.mailbox()).isEqualTo(ANN);
    assertThat(delivered.key()).isEqualTo(email.key());
    assertThat(delivered.targetItemId()).isNotBlank();
    assertThat(found).hasValueSatisfying(receipt -> assertFoundCopy(receipt, ANN, email.key()));
  }

  @Test
  default void nothingIsFoundBeforeDelivery() throws Exception {
    MessageKey key = key("conv-1", 1);

    assertThat(sink().find(ANN, key)).as("folder not created yet").isEmpty();
    sink().ensureFolder(ANN);
    assertThat(sink().find(ANN, key)).as("empty folder").isEmpty();
    assertThat(storedMessages(ANN)).isEmpty();
  }

  @Test
  default void ensureFolderIsIdempotent() throws Exception {
    sink().ensureFolder(ANN);
    sink().ensureFolder(ANN);
    ArchiveEmail email = email(key("conv-1", 1), "kept across ensureFolder");
    sink().deliver(ANN, email);
    sink().ensureFolder(ANN);

    assertThat(hashes(storedMessages(ANN))).containsExactly(fingerprint(email.mime()));
    assertThat(sink().find(ANN, email.key())).isPresent();
  }

  @Test
  default void deliveredBytesReadBackIdentical() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), "line one\nline two\n\n-- \nend");
    sink().ensureFolder(ANN);

    sink().deliver(ANN, email);

    List<byte[]> stored = storedMessages(ANN);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0)).isEqualTo(email.mime());
  }

  @Test
  default void everyVersionOfAConversationIsStoredAndFoundOnItsOwn() throws Exception {
    ArchiveEmail v1 = email(key("conv-1", 1), "first version");
    ArchiveEmail v2 = email(key("conv-1", 2), "second version, survey answered");
    sink().ensureFolder(ANN);

    Receipt r1 = sink().deliver(ANN, v1);
    assertThat(sink().find(ANN, v2.key())).as("v2 before its delivery").isEmpty();
    Receipt r2 = sink().deliver(ANN, v2);

    assertThat(hashes(storedMessages(ANN)))
        .containsExactlyInAnyOrder(fingerprint(v1.mime()), fingerprint(v2.mime()));
    assertThat(r1.targetItemId()).isNotEqualTo(r2.targetItemId());
    assertThat(sink().find(ANN, v1.key()))
        .hasValueSatisfying(r -> assertFoundCopy(r, ANN, v1.key()));
    assertThat(sink().find(ANN, v2.key()))
        .hasValueSatisfying(r -> assertFoundCopy(r, ANN, v2.key()));
  }

  @Test
  default void aCopyAnotherWriterAddedAfterAListingIsFoundOnceListingsAreForgotten()
      throws Exception {
    Optional<MailboxSink> other = anotherWriter();
    assumeTrue(other.isPresent(), "this target finds only the copies its own sink sent");
    ArchiveEmail email = email(key("conv-1", 1), "written by the partition's previous owner");
    sink().ensureFolder(ANN);
    assertThat(sink().find(ANN, email.key())).as("lists the folder").isEmpty();

    Receipt written = other.get().deliver(ANN, email);
    assertThat(sink().find(ANN, email.key()))
        .as("the listing is trusted until forgotten")
        .isEmpty();
    sink().forgetListings();

    assertThat(sink().find(ANN, email.key()))
        .hasValueSatisfying(
            r -> {
              assertFoundCopy(r, ANN, email.key());
              assertThat(r.targetItemId()).isEqualTo(written.targetItemId());
            });
    assertThat(hashes(storedMessages(ANN))).containsExactly(fingerprint(email.mime()));
  }

  @Test
  default void mailboxesAreIsolated() throws Exception {
    ArchiveEmail forAnn = email(key("conv-1", 1), "ann only");
    ArchiveEmail forBoth = email(key("conv-2", 1), "both");
    sink().ensureFolder(ANN);
    sink().ensureFolder(BOB);

    sink().deliver(ANN, forAnn);
    sink().deliver(ANN, forBoth);
    sink().deliver(BOB, forBoth);

    assertThat(sink().find(BOB, forAnn.key())).isEmpty();
    assertThat(sink().find(BOB, forBoth.key())).isPresent();
    assertThat(hashes(storedMessages(BOB))).containsExactly(fingerprint(forBoth.mime()));
    assertThat(storedMessages(ANN)).hasSize(2);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  default void concurrentDeliveriesToOneMailboxAllLand() throws Exception {
    int threads = 8;
    int perThread = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<ArchiveEmail>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<List<ArchiveEmail>> worker =
            () -> {
              sink().ensureFolder(ANN); // concurrent first use of the folder, too
              List<ArchiveEmail> sent = new ArrayList<>();
              for (int i = 0; i < perThread; i++) {
                ArchiveEmail email = email(key("conv-" + thread + "-" + i, 1), "t" + thread);
                sink().deliver(ANN, email);
                sent.add(email);
              }
              return sent;
            };
        results.add(pool.submit(worker));
      }
      List<String> expected = new ArrayList<>();
      for (Future<List<ArchiveEmail>> result : results) {
        for (ArchiveEmail email : result.get()) {
          expected.add(fingerprint(email.mime()));
          assertThat(sink().find(ANN, email.key())).as(email.toString()).isPresent();
        }
      }
      assertThat(hashes(storedMessages(ANN))).containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void largeNonAsciiMessageRoundTrips() throws Exception {
    ArchiveEmail email = TestEmails.large(key("conv-big", 1), 11 * 1024 * 1024 + 1);
    sink().ensureFolder(ANN);

    sink().deliver(ANN, email);

    assertThat(hashes(storedMessages(ANN))).containsExactly(fingerprint(email.mime()));
    assertThat(sink().find(ANN, email.key())).isPresent();
  }

  private static void assertFoundCopy(Receipt receipt, Mailbox mailbox, MessageKey key) {
    assertThat(receipt.alreadyPresent()).isTrue();
    assertThat(receipt.mailbox()).isEqualTo(mailbox);
    assertThat(receipt.key()).isEqualTo(key);
    assertThat(receipt.targetItemId()).isNotBlank();
  }

  /** Compares messages by hash so a failure does not print megabytes. */
  private List<String> hashes(List<byte[]> messages) throws Exception {
    List<String> out = new ArrayList<>();
    for (byte[] m : messages) {
      out.add(fingerprint(m));
    }
    return out;
  }
}
