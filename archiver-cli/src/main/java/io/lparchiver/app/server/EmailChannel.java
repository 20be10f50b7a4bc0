package io.lparchiver.app.server;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.deliver.MailSessions;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.model.Mailbox;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * {@code alerts.email}: each alert as a short plain-text email, sent through the configured SMTP
 * server with the same session settings (timeouts, required STARTTLS, server name check) as the
 * SMTP target.
 */
final class EmailChannel implements AlertChannel {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ArchiverConfig.AlertEmail settings;
  private final Session session;
  private final String protocol;
  private final String host;
  private final int port;
  private final Clock clock;

  EmailChannel(ArchiverConfig.AlertEmail settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    TransportSecurity security = TransportSecurity.parse(settings.security());
    this.protocol = MailSessions.protocol("smtp", security);
    this.host = settings.host().orElseThrow();
    this.port = settings.port().orElse(security == TransportSecurity.TLS ? 465 : 587);
    Properties props = MailSessions.properties(protocol, host, port, security, TIMEOUT);
    props.setProperty(
        "mail." + protocol + ".auth", Boolean.toString(settings.username().isPresent()));
    this.session = Session.getInstance(props);
  }

  @Override
  public void send(String text) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(settings.from().orElseThrow().address()));
    for (Mailbox to : settings.to()) {
      message.addRecipient(Message.RecipientType.TO, new InternetAddress(to.address()));
    }
    message.setSubject(subject(text), StandardCharsets.UTF_8.name());
    message.setSentDate(Date.from(clock.instant()));
    message.setText(
        text + "\n\nSee the status page of lp-archiver for details.\n",
        StandardCharsets.UTF_8.name());
    message.saveChanges();
    try (Transport transport = session.getTransport(protocol)) {
      if (settings.username().isPresent()) {
        transport.connect(host, port, settings.username().get(), settings.password().reveal());
      } else {
        transport.connect();
      }
      transport.sendMessage(message, message.getAllRecipients());
    }
  }

  /** The alert up to its advice (after ';'), kept short enough for a mail client's list. */
  static String subject(String text) {
    String line = text.lines().findFirst().orElse("lp-archiver alert");
    int advice = line.indexOf(';');
    line = advice > 0 ? line.substring(0, advice) : line;
    return line.length() <= 120 ? line : line.substring(0, 117) + "...";
  }

  @Override
  public String describe() {
    return "email to " + settings.to().size() + " address(es) via " + host + ":" + port;
  }
}
