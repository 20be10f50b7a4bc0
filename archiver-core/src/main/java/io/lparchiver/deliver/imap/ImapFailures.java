package io.lparchiver.deliver.imap;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailSessions;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns IMAP failures into what an operator can act on, and decides whether a retry may help.
 * Server texts are quoted (they never contain our password); the password itself never is.
 */
final class ImapFailures {

  private ImapFailures() {}

  static DeliveryException classify(
      ImapSettings settings, String login, String action, MessagingException e) {
    String server = serverText(e);
    String upper = chainText(e).toUpperCase(Locale.ROOT);
    Optional<String> untrusted =
        io.lparchiver.tls.TlsTrust.explain(e, "IMAP server " + settings.endpoint());
    if (untrusted.isPresent()) {
      return new DeliveryException(untrusted.get(), false, e);
    }
    if (e instanceof AuthenticationFailedException && !MailSessions.lostConnection(e)) {
      String hint =
          settings.mode() == ImapSettings.Mode.PER_MAILBOX
              ? " (per-mailbox mode: the mailbox must exist and target.imap.username must be"
                  + " allowed to log in as it through target.imap.loginTemplate)"
              : "";
      String fix =
          settings.oauth2().isPresent()
              ? "check that the application of target.imap.oauth2.clientId may access this"
                  + " mailbox over IMAP and that target.imap.oauth2.scope is right"
              : "check target.imap.username and target.imap.password" + hint;
      return new DeliveryException(
          "IMAP login as '"
              + login
              + "' at "
              + settings.endpoint()
              + " was refused ("
              + server
              + "): "
              + fix,
          false,
          e);
    }
    if (upper.contains("[NOPERM]")) {
      return new DeliveryException(
          "IMAP user '"
              + login
              + "' lacks the rights to "
              + action
              + " ("
              + server
              + "): grant it lookup, read, insert and create rights (IMAP ACL \"lrik\") on the"
              + " Inbox and the archive folder",
          false,
          e);
    }
    if (upper.contains("[OVERQUOTA]")) {
      return new DeliveryException(
          "mailbox of '"
              + login
              + "' is over its quota ("
              + server
              + "): free space or raise the mailbox quota; the copy stays pending and is retried",
          true,
          e);
    }
    if (upper.contains("[CANNOT]")) {
      return new DeliveryException(
          "IMAP server " + settings.endpoint() + " cannot " + action + ": " + server, false, e);
    }
    if (upper.contains("[LIMIT]") || upper.contains("[TOOBIG]")) {
      return tooLarge(settings, server, e);
    }
    if (isConnectionLoss(e)) {
      return new DeliveryException(
          "connection to IMAP server "
              + settings.endpoint()
              + " lost while trying to "
              + action
              + " ("
              + server
              + "); will reconnect and retry",
          true,
          e);
    }
    return new DeliveryException(
        "IMAP server " + settings.endpoint() + " refused to " + action + ": " + server, true, e);
  }

  static DeliveryException tooLarge(ImapSettings settings, String detail, Exception cause) {
    return new DeliveryException(
        "the item exceeds the server limit of IMAP server "
            + settings.endpoint()
            + " ("
            + detail
            + "); it cannot be appended as is",
        false,
        cause);
  }

  /** Whether the connection is unusable after this failure. */
  static boolean isConnectionLoss(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FolderClosedException
          || t instanceof StoreClosedException
          || t instanceof IOException
          || t instanceof org.eclipse.angus.mail.iap.ConnectionException) {
        return true;
      }
    }
    return false;
  }

  private static String chainText(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  /** The most specific message in the cause chain, e.g. the server's NO text. */
  static String serverText(Throwable e) {
    String text = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        text = t.getMessage();
      }
    }
    return text == null ? e.getClass().getSimpleName() : text.strip();
  }
}
