package io.lparchiver.deliver.smtp;

import static io.lparchiver.deliver.MailboxSinkContract.ANN;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.TestEmails;
import io.lparchiver.deliver.TestEmails.Attachment;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.SizeLimit;
import io.lparchiver.overflow.Externaliser;
import io.lparchiver.overflow.Fitted;
import io.lparchiver.overflow.OverflowStore;
import io.lparchiver.testing.FakeSmtpServer;
import io.lparchiver.testing.OverflowStubs;
import io.lparchiver.testing.OverflowStubs.Stub;
import io.lparchiver.testing.TestCa;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP server's SIZE (RFC 1870) drives externalisation; SMTPS (implicit TLS) delivers. */
class SmtpLimitsTest {

  private static final String USER = "archiver";
  private static final String PASSWORD = "smtp-Secret-5";
  private static final Mailbox FROM = new Mailbox("lp-archiver@brand.example");

  @TempDir Path dir;

  private static SmtpSettings settings(FakeSmtpServer server, TransportSecurity security) {
    return settings(server, security, Duration.ofSeconds(10));
  }

  private static SmtpSettings settings(
      FakeSmtpServer server, TransportSecurity security, Duration timeout) {
    return new SmtpSettings(
        "127.0.0.1",
        server.port(),
        security,
        Optional.of(USER),
        PASSWORD,
        FROM,
        Optional.empty(),
        2,
        timeout);
  }

  @Test
  void theServersSizeMovesTheLargeAttachmentOutAndTheRestIsSubmittedByteForByte() throws Exception {
    byte[] big = TestEmails.randomBytes(100_000, 21);
    ArchiveEmail email =
        TestEmails.withAttachments(
            key("conv-size", 1),
            List.of(
                new Attachment("scan.pdf", big),
                new Attachment("note.txt", TestEmails.randomBytes(4_000, 22))));
    Path overflow = dir.resolve("overflow");
    try (FakeSmtpServer server = new FakeSmtpServer(USER, PASSWORD);
        SmtpSink sink = new SmtpSink(settings(server, TransportSecurity.NONE), Clock.systemUTC())) {
      server.sizeLimit(60_000);
      assertThat(sink.sizeLimit(ANN)).isEqualTo(SizeLimit.message(60_000));
      assertThatThrownBy(() -> sink.deliver(ANN, email))
          .as("the server refuses the unfitted email")
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
          .hasMessageContaining("552");

      try (Fitted fitted =
          new Externaliser(new OverflowStore(overflow)).fit(email, sink.sizeLimit(ANN))) {
        sink.deliver(ANN, fitted.email());
        assertThat(server.received()).hasSize(1);
        byte[] received = server.received().get(0).data();
        assertThat(received).isEqualTo(fitted.email().mime());
        List<Stub> stubs = OverflowStubs.in(received);
        assertThat(stubs).singleElement().extracting(Stub::fileName).isEqualTo("scan.pdf");
        assertThat(stubs.get(0).sha256()).isEqualTo(TestEmails.sha256(big));
        OverflowStubs.assertStored(overflow, stubs.get(0));
      }
    }
  }

  @Test
  void sizeZeroMeansNoAnnouncedLimit() throws Exception {
    try (FakeSmtpServer server = new FakeSmtpServer(USER, PASSWORD);
        SmtpSink sink = new SmtpSink(settings(server, TransportSecurity.NONE), Clock.systemUTC())) {
      server.sizeLimit(0);
      assertThat(sink.sizeLimit(ANN)).isEqualTo(SizeLimit.NONE);
    }
  }

  @Test
  void implicitTlsSubmitsOverSmtpsTrustingAPrivateCa() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    SSLContext previous = SSLContext.getDefault();
    SSLContext.setDefault(ca.sslContext()); // as an operator sets the JVM trust store
    try (FakeSmtpServer server = new FakeSmtpServer(USER, PASSWORD, ca.sslContext())) {
      ArchiveEmail email = TestEmails.email(key("conv-smtps", 1), "over TLS from the first byte");
      try (SmtpSink sink =
          new SmtpSink(settings(server, TransportSecurity.TLS), Clock.systemUTC())) {
        sink.deliver(ANN, email);
      }
      assertThat(server.received()).hasSize(1);
      assertThat(server.received().get(0).data()).isEqualTo(email.mime());
      assertThat(server.received().get(0).recipients()).containsExactly(ANN.address());

      // a plaintext client waits for a greeting the TLS port never sends: only the timeout ends it
      try (SmtpSink plaintext =
          new SmtpSink(
              settings(server, TransportSecurity.NONE, Duration.ofMillis(700)),
              Clock.systemUTC())) {
        assertThatThrownBy(() -> plaintext.deliver(ANN, email))
            .as("the SMTPS port speaks only TLS")
            .isInstanceOf(DeliveryException.class);
      }
      assertThat(server.received()).hasSize(1);
    } finally {
      SSLContext.setDefault(previous);
    }
  }
}
