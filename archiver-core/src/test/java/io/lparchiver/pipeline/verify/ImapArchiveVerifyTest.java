package io.lparchiver.pipeline.verify;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.deliver.imap.ImapSettings;
import io.lparchiver.deliver.imap.ImapSink;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.pipeline.verify.Finding.Kind;
import io.lparchiver.state.StateStore;
import io.lparchiver.testing.Dovecot;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify} against a real Dovecot over IMAP: raw BODY[] re-read and hashed. */
class ImapArchiveVerifyTest {

  private static final String FOLDER = "LivePerson Conversational Cloud DataParser";
  private static final String MASTER = "archiver";
  private static final String MASTER_PASSWORD = "m4ster-Verify-7";
  private static final Mailbox ANN = new Mailbox("ann@brand.example");
  private static final Mailbox BOB = new Mailbox("bob@brand.example");

  @TempDir static Path dir;
  @TempDir Path stateDir;
  static Dovecot dovecot;

  private ImapSink sink;
  private StateStore state;
  private final List<ArchiveEmail> emails = new ArrayList<>();

  @BeforeAll
  static void startDovecot() throws Exception {
    dovecot =
        Dovecot.builder(dir)
            .master(MASTER, MASTER_PASSWORD)
            .user(ANN.address(), "ann-pw")
            .user(BOB.address(), "bob-pw")
            .start();
  }

  @AfterAll
  static void stopDovecot() {
    if (dovecot != null) {
      dovecot.close();
    }
  }

  @BeforeEach
  void deliverAndRecord() throws Exception {
    dovecot.wipeMail();
    sink =
        new ImapSink(
            new ImapSettings(
                "127.0.0.1",
                dovecot.port(),
                TransportSecurity.NONE,
                ImapSettings.Mode.PER_MAILBOX,
                MASTER,
                MASTER_PASSWORD,
                "{mailbox}*{username}",
                FOLDER,
                2,
                4,
                Duration.ofSeconds(10),
                Optional.empty()),
            Clock.systemUTC());
    state = StateStore.open(stateDir, Clock.systemUTC());
    for (int i = 0; i < 4; i++) {
      ArchiveEmail e = email(key("imap-" + i, 1), "conversation " + i + "\nGrüße 🙂");
      emails.add(e);
      for (Mailbox m : List.of(ANN, BOB)) {
        VerifyLedger.record(state, e, sink.deliver(m, e), "imap", "src-" + i);
      }
    }
  }

  @AfterEach
  void close() {
    sink.close();
    state.close();
  }

  @Test
  void aCleanArchiveIsIntact() {
    VerifyLedger.Result r = VerifyLedger.verify(new ArchiveVerifier(state, sink, Optional.empty()));

    assertThat(r.findings()).isEmpty();
    assertThat(r.report().ledgerEntries()).isEqualTo(8);
    assertThat(r.report().intact()).isEqualTo(8);
    assertThat(r.report().mailboxes()).isEqualTo(2);
    assertThat(r.report().exitCode()).isEqualTo(VerifyReport.INTACT);
  }

  @Test
  void namesTheDeletedTheReplacedAndTheStrayMessage() throws Exception {
    String deleted = emails.get(0).key().messageId();
    String altered = emails.get(1).key().messageId();
    ArchiveEmail stray = email(key("imap-stray", 1), "never in the ledger");
    byte[] changed = emails.get(1).mime().clone();
    changed[changed.length - 4] ^= 0x20; // one byte of the body, as an admin's edit would
    try (Store store = login(ANN)) {
      Folder folder = store.getFolder("INBOX." + FOLDER);
      folder.open(Folder.READ_WRITE);
      for (Message m : folder.getMessages()) {
        String id = m.getHeader("Message-ID")[0];
        if (id.equals(deleted) || id.equals(altered)) {
          m.setFlag(Flags.Flag.DELETED, true);
        }
      }
      folder.close(true); // expunge
      folder.appendMessages(new Message[] {raw(changed), raw(stray.mime())});
    }

    VerifyLedger.Result r = VerifyLedger.verify(new ArchiveVerifier(state, sink, Optional.empty()));

    assertThat(r.findings())
        .extracting(Finding::kind, Finding::mailbox, Finding::messageId)
        .containsExactlyInAnyOrder(
            tuple(Kind.MISSING, ANN.address(), deleted),
            tuple(Kind.ALTERED, ANN.address(), altered),
            tuple(Kind.UNEXPECTED, ANN.address(), stray.key().messageId()));
    assertThat(r.report().intact()).isEqualTo(6);
    assertThat(r.report().exitCode()).isEqualTo(VerifyReport.NOT_INTACT);
  }

  private static Store login(Mailbox mailbox) throws Exception {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect(
        dovecot.host(), dovecot.port(), mailbox.address() + "*" + MASTER, MASTER_PASSWORD);
    return store;
  }

  private static Message raw(byte[] mime) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mime)) {
      @Override
      protected void updateMessageID() {
        // keep the Message-ID as written
      }
    };
  }
}
