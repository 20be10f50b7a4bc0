package io.lparchiver.deliver.smtp;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static io.lparchiver.deliver.TestEmails.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.MailboxSinkContract;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.deliver.TestEmails;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.Receipt;
import io.lparchiver.testing.FakeSmtpServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMTP target against a loopback SMTP server that keeps the exact DATA bytes. The contract
 * cases that rely on {@code find} do not apply to SMTP (it cannot be asked what it accepted); they
 * are overridden below with what SMTP does instead: find stays empty, and every copy is still
 * delivered once with its own queue id.
 */
class SmtpSinkTest implements MailboxSinkContract {

  static final String USER = "archiver@brand.example";
  static final String PASSWORD = "smtp-S3cret-pw";
  static final Mailbox FROM = new Mailbox("lp-archiver@brand.example");
  static final Mailbox JOURNAL = new Mailbox("journal@archive.example");

  FakeSmtpServer server;
  SmtpSink sink;
  final List<SmtpSink> sinks = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeSmtpServer(USER, PASSWORD);
    sink = open(settings(PASSWORD, Optional.empty()));
  }

  @AfterEach
  void stop() throws Exception {
    sinks.forEach(SmtpSink::close);
    server.close();
  }

  SmtpSettings settings(String password, Optional<Mailbox> journal) {
    return new SmtpSettings(
        "127.0.0.1",
        server.port(),
        TransportSecurity.NONE,
        Optional.of(USER),
        password,
        FROM,
        journal,
        4,
        Duration.ofSeconds(10));
  }

  SmtpSink open(SmtpSettings settings) {
    SmtpSink s = new SmtpSink(settings, Clock.systemUTC());
    sinks.add(s);
    return s;
  }

  @Override
  public MailboxSink sink() {
    return sink;
  }

  @Override
  public List<byte[]> storedMessages(Mailbox mailbox) {
    return server.received().stream()
        .filter(r -> r.recipients().contains(mailbox.address()))
        .map(FakeSmtpServer.Received::data)
        .toList();
  }

  @Test
  void aSubmittedCopyIsReportedNotVerifiableNeverIntact() throws Exception {
    Receipt r = sink.deliver(ANN, email(key("smtp-verify", 1), "hello"));

    ReadBack back = sink.readBack(ANN, r.key(), r.targetItemId());

    assertThat(back).isInstanceOf(ReadBack.NotVerifiable.class);
    assertThat(((ReadBack.NotVerifiable) back).reason()).contains("SMTP").contains("receiving");
    assertThat(sink.canList()).isFalse();
    assertThat(sink.list(ANN)).isEmpty();
  }

  // ---- contract cases that use find, restated for SMTP ----

  @Override
  @Test
  public void deliveredCopyIsFound() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), "hello");
    sink.ensureFolder(ANN);

    Receipt delivered = sink.deliver(ANN, email);

    assertThat(delivered.alreadyPresent()).isFalse();
    assertThat(delivered.mailbox()).isEqualTo(ANN);
    assertThat(delivered.key()).isEqualTo(email.key());
    assertThat(delivered.targetItemId()).isEqualTo("Q1");
    assertThat(sink.find(ANN, email.key())).as("SMTP cannot be asked").isEmpty();
    assertThat(server.received())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.envelopeFrom()).isEqualTo(FROM.address());
              assertThat(r.recipients()).containsExactly(ANN.address());
            });
  }

  @Override
  @Test
  public void ensureFolderIsIdempotent() throws Exception {
    sink.ensureFolder(ANN);
    sink.ensureFolder(ANN);
    ArchiveEmail email = email(key("conv-1", 1), "kept across ensureFolder");
    sink.deliver(ANN, email);
    sink.ensureFolder(ANN);

    assertThat(hashes(storedMessages(ANN))).containsExactly(sha256(email.mime()));
    assertThat(sink.find(ANN, email.key())).isEmpty();
  }

  @Override
  @Test
  public void everyVersionOfAConversationIsStoredAndFoundOnItsOwn() throws Exception {
    ArchiveEmail v1 = email(key("conv-1", 1), "first version");
    ArchiveEmail v2 = email(key("conv-1", 2), "second version, survey answered");

    Receipt r1 = sink.deliver(ANN, v1);
    Receipt r2 = sink.deliver(ANN, v2);

    assertThat(hashes(storedMessages(ANN)))
        .containsExactlyInAnyOrder(sha256(v1.mime()), sha256(v2.mime()));
    assertThat(r1.targetItemId()).isNotEqualTo(r2.targetItemId());
    assertThat(sink.find(ANN, v1.key())).isEmpty();
  }

  @Override
  @Test
  public void mailboxesAreIsolated() throws Exception {
    ArchiveEmail forAnn = email(key("conv-1", 1), "ann only");
    ArchiveEmail forBoth = email(key("conv-2", 1), "both");

    sink.deliver(ANN, forAnn);
    sink.deliver(ANN, forBoth);
    sink.deliver(BOB, forBoth);

    assertThat(hashes(storedMessages(BOB))).containsExactly(sha256(forBoth.mime()));
    assertThat(storedMessages(ANN)).hasSize(2);
    assertThat(server.received()).allSatisfy(r -> assertThat(r.recipients()).hasSize(1));
  }

  @Override
  @Test
  public void concurrentDeliveriesToOneMailboxAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ArchiveEmail>> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ArchiveEmail email = email(key("conv-" + i, 1), "n" + i);
        sent.add(
            pool.submit(
                () -> {
                  sink.deliver(ANN, email);
                  return email;
                }));
      }
      List<String> expected = new ArrayList<>();
      for (Future<ArchiveEmail> f : sent) {
        expected.add(sha256(f.get().mime()));
      }
      assertThat(hashes(storedMessages(ANN))).containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  @Test
  public void largeNonAsciiMessageRoundTrips() throws Exception {
    ArchiveEmail email = TestEmails.large(key("conv-big", 1), 11 * 1024 * 1024 + 1);

    sink.deliver(ANN, email);

    assertThat(hashes(storedMessages(ANN))).containsExactly(sha256(email.mime()));
  }

  private static List<String> hashes(List<byte[]> messages) {
    return messages.stream().map(TestEmails::sha256).toList();
  }

  // ---- SMTP specifics ----

  @Test
  void dotsAtLineStartsSurviveTransparency() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), ".\n..\n. leading dot\nend");

    sink.deliver(ANN, email);

    assertThat(storedMessages(ANN)).singleElement().isEqualTo(email.mime());
  }

  @Test
  void journalModeSendsOneCopyPerVersionForAllMailboxes() throws Exception {
    SmtpSink journal = open(settings(PASSWORD, Optional.of(JOURNAL)));
    ArchiveEmail email = email(key("conv-1", 1), "hello");

    Receipt forAnn = journal.deliver(ANN, email);
    Optional<Receipt> foundForBob = journal.find(BOB, email.key());
    Receipt forBob = journal.deliver(BOB, email);

    assertThat(server.received())
        .singleElement()
        .satisfies(r -> assertThat(r.recipients()).containsExactly(JOURNAL.address()));
    assertThat(forAnn.alreadyPresent()).isFalse();
    assertThat(foundForBob).hasValueSatisfying(r -> assertThat(r.alreadyPresent()).isTrue());
    assertThat(forBob.targetItemId()).isEqualTo(forAnn.targetItemId());
  }

  @Test
  void permanentRecipientRefusalIsNotRetried() {
    server.refuseRecipient(BOB.address(), "550 5.1.1 <bob.ray@brand.example>: unknown user");

    assertThatThrownBy(() -> sink.deliver(BOB, email(key("conv-1", 1), "x")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("rejected")
        .hasMessageContaining(BOB.address());
  }

  @Test
  void temporaryRefusalIsRetriedAndThenDelivers() throws Exception {
    server.answerData("452 4.3.1 Insufficient system storage");
    ArchiveEmail email = email(key("conv-1", 1), "x");

    assertThatThrownBy(() -> sink.deliver(ANN, email))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isTrue())
        .hasMessageContaining("452");
    server.answerData(null);
    sink.deliver(ANN, email);

    assertThat(storedMessages(ANN)).hasSize(1);
  }

  @Test
  void permanentDataRefusalIsNotRetried() {
    server.answerData("554 5.7.1 Message rejected by policy");

    assertThatThrownBy(() -> sink.deliver(ANN, email(key("conv-1", 1), "x")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("554");
  }

  @Test
  void wrongPasswordNamesTheSettingsAndNeverTheSecret() {
    String wrong = "Wr0ng-smtp-pw";
    SmtpSink bad = open(settings(wrong, Optional.empty()));

    assertThatThrownBy(() -> bad.deliver(ANN, email(key("conv-1", 1), "x")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("target.smtp.username")
        .hasMessageContaining("target.smtp.password")
        .hasMessageNotContaining(wrong);
    assertThat(settings(wrong, Optional.empty()).toString()).doesNotContain(wrong);
  }

  @Test
  void unreachableServerIsRetriable() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort(); // nothing listens there once the probe is closed
    }
    SmtpSettings s = settings(PASSWORD, Optional.empty());
    SmtpSink unreachable =
        open(
            new SmtpSettings(
                s.host(),
                closedPort,
                s.security(),
                s.username(),
                s.password(),
                s.envelopeFrom(),
                s.journalAddress(),
                1,
                Duration.ofSeconds(2)));

    assertThatThrownBy(() -> unreachable.deliver(ANN, email(key("conv-1", 1), "x")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isTrue())
        .hasMessageContaining("will reconnect and retry");
  }

  @Test
  void queueIdsAreReadFromCommonServerReplies() {
    assertThat(SmtpReplies.queueId("250 2.0.0 Ok: queued as 4XyZ12AbC")).contains("4XyZ12AbC");
    assertThat(SmtpReplies.queueId("250 OK id=1rAbCd-000123-XY")).contains("1rAbCd-000123-XY");
    assertThat(SmtpReplies.queueId("250 2.0.0 4B2Ab1234 Message accepted for delivery"))
        .contains("4B2Ab1234");
    assertThat(SmtpReplies.queueId("250 OK")).isEmpty();
    assertThat(SmtpReplies.queueId(null)).isEmpty();
  }
}
