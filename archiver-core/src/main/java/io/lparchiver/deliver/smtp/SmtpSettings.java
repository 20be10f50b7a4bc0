package io.lparchiver.deliver.smtp;

import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.model.Mailbox;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how the SMTP target submits.
 *
 * @param host server name
 * @param port server port (587 submission with STARTTLS, 465 with TLS)
 * @param security TLS, STARTTLS or (loopback only) none
 * @param username AUTH user; empty for a relay that needs none
 * @param password AUTH password; never printed
 * @param envelopeFrom the MAIL FROM address (bounces go there)
 * @param journalAddress when set, one copy per conversation goes there instead of to each mailbox
 * @param connections at most this many SMTP connections at a time
 * @param timeout connect, read and write timeout of every socket
 */
public record SmtpSettings(
    String host,
    int port,
    TransportSecurity security,
    Optional<String> username,
    String password,
    Mailbox envelopeFrom,
    Optional<Mailbox> journalAddress,
    int connections,
    Duration timeout) {

  public String endpoint() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "SmtpSettings["
        + endpoint()
        + ", "
        + security
        + ", user "
        + username.orElse("(none)")
        + ", password ****, from "
        + envelopeFrom
        + journalAddress.map(j -> ", journal " + j).orElse("")
        + "]";
  }
}
