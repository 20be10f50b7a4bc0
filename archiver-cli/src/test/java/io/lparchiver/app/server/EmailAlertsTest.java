package io.lparchiver.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.Secret;
import io.lparchiver.model.Mailbox;
import io.lparchiver.testing.FakeSmtpServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** alerts.email against an SMTP server on loopback that the test starts. */
class EmailAlertsTest {

  private static final String PASSWORD = "alert-smtp-pa55word";
  private FakeSmtpServer smtp;

  @BeforeEach
  void start() throws Exception {
    smtp = new FakeSmtpServer("alerts", PASSWORD);
  }

  @AfterEach
  void stop() throws Exception {
    smtp.close();
  }

  private Alerts alerts(String password) {
    ArchiverConfig.AlertEmail email =
        new ArchiverConfig.AlertEmail(
            List.of(new Mailbox("ops@example.com"), new Mailbox("oncall@example.com")),
            Optional.of(new Mailbox("lp-archiver@example.com")),
            Optional.of("127.0.0.1"),
            Optional.of(smtp.port()),
            "none",
            true,
            Optional.of("alerts"),
            Secret.of(password));
    return Alerts.from(
        new ArchiverConfig.Alerts(Optional.empty(), Duration.ofHours(2), email),
        Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void eachAlertEventIsMailedOnceWhenItAppears() throws Exception {
    Alerts alerts = alerts(PASSWORD);

    alerts.afterRun(Optional.of("LivePerson: 401"), 0, Optional.empty());
    alerts.afterRun(Optional.of("LivePerson: 401"), 0, Optional.empty()); // still failing: quiet
    alerts.afterRun(Optional.empty(), 3, Optional.of(Duration.ofHours(5)));
    Instant watched = Instant.parse("2026-11-20T00:00:00Z");
    alerts.afterDay(LocalDate.parse("2026-11-25"), 0, watched);
    alerts.afterDay(LocalDate.parse("2026-11-25"), 0, watched); // same day: once
    alerts.afterDay(LocalDate.parse("2026-11-24"), 12, watched); // had items: nothing

    List<FakeSmtpServer.Received> mails = smtp.received();
    List<String> subjects = mails.stream().map(EmailAlertsTest::subject).toList();
    assertThat(subjects)
        .containsExactly(
            "lp-archiver: the run failed: LivePerson: 401",
            "lp-archiver: 3 conversation(s) dead-lettered",
            "lp-archiver: the checkpoint lags 5h 0m, more than alerts.maxLag (2h 0m)",
            "lp-archiver: No items ingested on 2026-11-25 (UTC): no conversation was read from"
                + " LivePerson that day");
    FakeSmtpServer.Received first = mails.get(0);
    assertThat(first.envelopeFrom()).isEqualTo("lp-archiver@example.com");
    assertThat(first.recipients()).containsExactly("ops@example.com", "oncall@example.com");
    String body = new String(first.data(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(body)
        .contains("LivePerson: 401")
        .contains("See the status page")
        .doesNotContain(PASSWORD);
  }

  @Test
  void aDayNotWatchedFromItsStartNeverAlerts() {
    Alerts alerts = alerts(PASSWORD);
    alerts.afterDay(LocalDate.parse("2026-11-25"), 0, Instant.parse("2026-11-25T09:00:00Z"));
    assertThat(smtp.received()).isEmpty();
  }

  @Test
  void aRefusedLoginLosesTheAlertButNeverThrows() {
    Alerts alerts = alerts("wrong-password");
    alerts.afterRun(Optional.of("boom"), 0, Optional.empty());
    assertThat(smtp.received()).isEmpty();
  }

  private static String subject(FakeSmtpServer.Received r) {
    try {
      return new MimeMessage(
              Session.getInstance(new Properties()), new ByteArrayInputStream(r.data()))
          .getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }
}
