package io.lparchiver.deliver.imap;

import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.deliver.TestEmails;
import io.lparchiver.deliver.TestEmails.Attachment;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.SizeLimit;
import io.lparchiver.overflow.Externaliser;
import io.lparchiver.overflow.Fitted;
import io.lparchiver.overflow.OverflowStore;
import io.lparchiver.testing.Dovecot;
import io.lparchiver.testing.OverflowStubs;
import io.lparchiver.testing.OverflowStubs.Stub;
import io.lparchiver.testing.TestCa;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real Dovecot: the server's APPENDLIMIT (RFC 7889, announced and enforced) and a
 * configured maximum make oversize attachments move to the overflow store; and IMAPS (implicit TLS,
 * port 993 style) with a private CA.
 */
class ImapLimitsTest {

  static final String MASTER = "archiver";
  static final String MASTER_PASSWORD = "m4ster-Secret-7";
  static final String FOLDER = "LivePerson Conversational Cloud DataParser";
  static final Mailbox ERIN = new Mailbox("erin@brand.example"); // APPENDLIMIT=60000
  static final Mailbox FRED = new Mailbox("fred@brand.example"); // no APPENDLIMIT
  static final long LIMIT = 60_000;

  @TempDir static Path dir;
  static Dovecot plain;
  static Dovecot imaps;
  static SSLContext previousDefault;

  @BeforeAll
  static void start() throws Exception {
    Dovecot.requireInstalled();
    java.nio.file.Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    plain =
        Dovecot.builder(dir.resolve("plain"))
            .master(MASTER, MASTER_PASSWORD)
            .user(
                ERIN.address(),
                "erin-pw",
                "imap_capability=+APPENDLIMIT=" + LIMIT,
                "quota_max_mail_size=" + LIMIT)
            .user(FRED.address(), "fred-pw")
            .start();
    TestCa ca = TestCa.create(dir.resolve("ca"));
    imaps =
        Dovecot.builder(dir.resolve("imaps"))
            .tls(ca.certificatePem(), ca.keyPem())
            .implicitTls()
            .master(MASTER, MASTER_PASSWORD)
            .user(FRED.address(), "fred-pw")
            .start();
    // the client trusts the private CA the way an operator configures the JVM trust store
    previousDefault = SSLContext.getDefault();
    SSLContext.setDefault(ca.sslContext());
  }

  @AfterAll
  static void stop() {
    if (previousDefault != null) {
      SSLContext.setDefault(previousDefault);
    }
    if (plain != null) {
      plain.close();
    }
    if (imaps != null) {
      imaps.close();
    }
  }

  static ImapSettings settings(Dovecot dovecot, TransportSecurity security, long maxMessageSize) {
    return settings(dovecot, security, maxMessageSize, Duration.ofSeconds(10));
  }

  static ImapSettings settings(
      Dovecot dovecot, TransportSecurity security, long maxMessageSize, Duration timeout) {
    return new ImapSettings(
        "127.0.0.1",
        dovecot.port(),
        security,
        ImapSettings.Mode.PER_MAILBOX,
        MASTER,
        MASTER_PASSWORD,
        "{mailbox}*{username}",
        FOLDER,
        2,
        4,
        timeout,
        Optional.empty(),
        maxMessageSize);
  }

  private final byte[] big = TestEmails.randomBytes(100_000, 11);
  private final byte[] small = TestEmails.randomBytes(5_000, 12);

  private ArchiveEmail email(String id) {
    return TestEmails.withAttachments(
        key(id, 1), List.of(new Attachment("audio.ogg", big), new Attachment("note.txt", small)));
  }

  @Test
  void theServersAppendLimitMovesTheLargeAttachmentOutAndTheRestLandsByteForByte()
      throws Exception {
    ArchiveEmail email = email("conv-appendlimit");
    Path overflow = dir.resolve("overflow-appendlimit");
    try (ImapSink sink =
        new ImapSink(settings(plain, TransportSecurity.NONE, Long.MAX_VALUE), Clock.systemUTC())) {
      assertThat(sink.sizeLimit(ERIN)).isEqualTo(SizeLimit.message(LIMIT));
      sink.ensureFolder(ERIN);
      assertThatThrownBy(() -> appendDirectly(ERIN, email.mime()))
          .as("Dovecot itself refuses the unfitted email")
          .isInstanceOf(MessagingException.class);

      try (Fitted fitted =
          new Externaliser(new OverflowStore(overflow)).fit(email, sink.sizeLimit(ERIN))) {
        assertThat(fitted.email().size()).isLessThanOrEqualTo(LIMIT);
        sink.deliver(ERIN, fitted.email());
        List<Dovecot.Fetched> stored = fetched(plain, ERIN);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).mime()).isEqualTo(fitted.email().mime());
        List<Stub> stubs = OverflowStubs.in(stored.get(0).mime());
        assertThat(stubs).singleElement().extracting(Stub::fileName).isEqualTo("audio.ogg");
        assertThat(stubs.get(0).sha256()).isEqualTo(TestEmails.sha256(big));
        OverflowStubs.assertStored(overflow, stubs.get(0));
      }
    }
  }

  @Test
  void aConfiguredMaximumAppliesWhereTheServerAnnouncesNone() throws Exception {
    try (ImapSink unlimited =
            new ImapSink(
                settings(plain, TransportSecurity.NONE, Long.MAX_VALUE), Clock.systemUTC());
        ImapSink configured =
            new ImapSink(settings(plain, TransportSecurity.NONE, 50_000), Clock.systemUTC())) {
      assertThat(unlimited.sizeLimit(FRED)).isEqualTo(SizeLimit.NONE);
      assertThat(configured.sizeLimit(FRED)).isEqualTo(SizeLimit.message(50_000));
      assertThat(configured.sizeLimit(ERIN))
          .as("the lower of APPENDLIMIT and the configured maximum")
          .isEqualTo(SizeLimit.message(50_000));
    }
  }

  @Test
  void implicitTlsDeliversOverImapsTrustingAPrivateCa() throws Exception {
    ArchiveEmail email = TestEmails.email(key("conv-imaps", 1), "over TLS from the first byte");
    try (ImapSink sink =
        new ImapSink(settings(imaps, TransportSecurity.TLS, Long.MAX_VALUE), Clock.systemUTC())) {
      sink.ensureFolder(FRED);
      assertThat(sink.find(FRED, email.key())).isEmpty();
      sink.deliver(FRED, email);
      assertThat(sink.find(FRED, email.key())).isPresent();
    }
    List<Dovecot.Fetched> stored = fetched(imaps, FRED);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).mime()).isEqualTo(email.mime());

    // a plaintext client waits for a greeting the TLS port never sends: only the timeout ends it
    try (ImapSink plaintext =
        new ImapSink(
            settings(imaps, TransportSecurity.NONE, Long.MAX_VALUE, Duration.ofMillis(700)),
            Clock.systemUTC())) {
      assertThatThrownBy(() -> plaintext.ensureFolder(FRED))
          .as("the IMAPS port speaks only TLS")
          .isInstanceOf(io.lparchiver.deliver.DeliveryException.class);
    }
  }

  private static List<Dovecot.Fetched> fetched(Dovecot dovecot, Mailbox mailbox) throws Exception {
    return dovecot.fetchAll(mailbox.address() + "*" + MASTER, MASTER_PASSWORD, "INBOX." + FOLDER);
  }

  private static void appendDirectly(Mailbox mailbox, byte[] mime) throws Exception {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect("127.0.0.1", plain.port(), mailbox.address() + "*" + MASTER, MASTER_PASSWORD);
    try {
      Folder folder = store.getFolder("INBOX." + FOLDER);
      MimeMessage m =
          new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mime));
      folder.appendMessages(new Message[] {m});
    } finally {
      store.close();
    }
  }
}
