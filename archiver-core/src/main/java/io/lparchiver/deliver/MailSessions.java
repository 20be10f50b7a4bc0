package io.lparchiver.deliver;

import io.lparchiver.mail.MailStreams;
import io.lparchiver.tls.TlsTrust;
import java.time.Duration;
import java.util.Properties;

/** Jakarta Mail session properties shared by the IMAP and SMTP targets. */
public final class MailSessions {

  private MailSessions() {}

  /**
   * Properties for one protocol ({@code imap}, {@code imaps}, {@code smtp}, {@code smtps}): every
   * socket gets connect, read and write timeouts so no call can hang, and TLS checks the server's
   * name against its certificate.
   */
  static {
    MailStreams.pinProvider();
  }

  public static Properties properties(
      String protocol, String host, int port, TransportSecurity security, Duration timeout) {
    String p = "mail." + protocol + ".";
    String millis = Long.toString(timeout.toMillis());
    Properties props = new Properties();
    props.setProperty(p + "host", host);
    props.setProperty(p + "port", Integer.toString(port));
    props.setProperty(p + "connectiontimeout", millis);
    props.setProperty(p + "timeout", millis);
    props.setProperty(p + "writetimeout", millis);
    if (security == TransportSecurity.STARTTLS) {
      props.setProperty(p + "starttls.enable", "true");
      props.setProperty(p + "starttls.required", "true");
    }
    if (security != TransportSecurity.NONE) {
      props.setProperty(p + "ssl.checkserveridentity", "true");
    }
    TlsTrust.addMailProperties(props, protocol);
    return props;
  }

  /** The Jakarta Mail protocol name: the TLS variant when TLS starts with the connection. */
  public static String protocol(String base, TransportSecurity security) {
    return security == TransportSecurity.TLS ? base + "s" : base;
  }

  /**
   * Whether a failure came from the connection (a timeout, a reset) rather than from an answer of
   * the server. Angus reports a connection that stopped answering during the login as an {@link
   * jakarta.mail.AuthenticationFailedException}, which must not read as wrong credentials.
   */
  public static boolean lostConnection(Exception e) {
    for (Throwable x = e; x != null; x = x.getCause()) {
      if (x instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }
}
