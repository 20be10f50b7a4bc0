package io.lparchiver.deliver.smtp;

import static io.lparchiver.deliver.MailboxSinkContract.ANN;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.TestEmails;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.testing.FakeSmtpServer;
import io.lparchiver.testing.TcpProxy;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An SMTP server that stops answering (before its greeting, or after the client's EHLO) must not
 * hold a run: the socket timeouts end the attempt as retriable, and the retry on a fresh connection
 * submits the message once. (A server that stops answering after it accepted the DATA cannot be
 * told apart from one that did not: SMTP has no lookup, so that retry may journal a second copy;
 * the README says so.)
 */
class SmtpStallTest {

  private static final String USER = "archiver";
  private static final String PASSWORD = "smtp-Secret-9";
  private static final Duration TIMEOUT = Duration.ofMillis(600);

  @ParameterizedTest(name = "answers stop after {0} client bytes")
  @ValueSource(longs = {0, 20})
  void aServerThatStopsAnsweringFailsTheAttemptRetriablyAndTheRetrySubmitsOnce(long bytes)
      throws Exception {
    ArchiveEmail email = TestEmails.email(key("conv-smtp-stall-" + bytes, 1), "stalled server");
    try (FakeSmtpServer server = new FakeSmtpServer(USER, PASSWORD);
        TcpProxy proxy = new TcpProxy("127.0.0.1", server.port());
        SmtpSink sink = new SmtpSink(settings(proxy.port()), Clock.systemUTC())) {
      proxy.dropResponseAfter(bytes, Duration.ofSeconds(20));

      assertThatThrownBy(() -> sink.deliver(ANN, email))
          .isInstanceOfSatisfying(
              DeliveryException.class, e -> assertThat(e.retriable()).as(e.getMessage()).isTrue())
          .hasMessageContaining("127.0.0.1:" + proxy.port())
          .hasMessageContaining("will reconnect and retry")
          .hasMessageNotContaining(PASSWORD)
          .as("a server that stopped answering is not a refused login")
          .hasMessageNotContaining("target.smtp.password");
      assertThat(proxy.tripped()).isTrue();
      assertThat(server.received()).as("nothing submitted by the stalled attempt").isEmpty();

      sink.deliver(ANN, email);
      assertThat(server.received()).hasSize(1);
      assertThat(server.received().get(0).data()).isEqualTo(email.mime());
    }
  }

  private static SmtpSettings settings(int port) {
    return new SmtpSettings(
        "127.0.0.1",
        port,
        TransportSecurity.NONE,
        Optional.of(USER),
        PASSWORD,
        new Mailbox("lp-archiver@brand.example"),
        Optional.empty(),
        2,
        TIMEOUT);
  }
}
