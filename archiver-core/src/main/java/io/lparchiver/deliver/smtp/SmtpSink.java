package io.lparchiver.deliver.smtp;

import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.ConnectionPool;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailSessions;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.SizeLimit;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Submits each archive email over SMTP: to the mailbox itself (envelope recipient), or, with a
 * journal address, one copy per conversation version to that address. The receipt's target id is
 * the queue id from the server's reply to DATA ({@code 250 2.0.0 Ok: queued as XYZ}).
 *
 * <p><b>At-least-once.</b> SMTP cannot be asked what it already accepted, so {@link #find} knows
 * only what this instance sent (journal mode, where one send covers every mailbox of the version)
 * and is otherwise empty. A crash between the server's 250 and the ledger row sends the copy again
 * on the next run; journaling archives deduplicate by Message-ID, which is stable per version.
 *
 * <p>Replies: 5xx is permanent (dead-lettered), 4xx and lost connections are retried.
 */
public final class SmtpSink implements MailboxSink, ArchiveReader {

  private static final String POOL_KEY = "smtp";
  private static final int JOURNAL_MEMORY = 10_000;

  private final SmtpSettings settings;
  private final Session session;
  private final String protocol;
  private final ConnectionPool<SMTPTransport> pool;
  private final Map<MessageKey, String> journalled = // guarded by itself; bounded LRU
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageKey, String> eldest) {
          return size() > JOURNAL_MEMORY;
        }
      };

  public SmtpSink(SmtpSettings settings, Clock clock) {
    this.settings = settings;
    this.protocol = MailSessions.protocol("smtp", settings.security());
    Properties props =
        MailSessions.properties(
            protocol, settings.host(), settings.port(), settings.security(), settings.timeout());
    props.setProperty(
        "mail." + protocol + ".auth", Boolean.toString(settings.username().isPresent()));
    props.setProperty("mail." + protocol + ".from", settings.envelopeFrom().address());
    this.session = Session.getInstance(props);
    this.pool =
        new ConnectionPool<>(
            settings.connections(),
            settings.connections(),
            settings.timeout().multipliedBy(2),
            SmtpSink::closeQuietly,
            clock);
  }

  @Override
  public String type() {
    return "smtp";
  }

  /** SMTP has no folders: the receiving side files the message. */
  @Override
  public void ensureFolder(Mailbox mailbox) {}

  @Override
  public Optional<Receipt> find(Mailbox mailbox, MessageKey key) {
    if (settings.journalAddress().isEmpty()) {
      return Optional.empty();
    }
    synchronized (journalled) {
      return Optional.ofNullable(journalled.get(key))
          .map(queueId -> new Receipt(mailbox, key, queueId, true));
    }
  }

  /** What a crashed process sent is not known: each copy is recorded as soon as it is accepted. */
  @Override
  public boolean findsEveryCopy() {
    return false;
  }

  /** The server's SIZE extension (RFC 1870); {@code SIZE 0} or none means no announced limit. */
  @Override
  public SizeLimit sizeLimit(Mailbox mailbox) throws DeliveryException {
    ConnectionPool.Lease<SMTPTransport> lease = pool.acquire(POOL_KEY, this::connect);
    try {
      String size = lease.connection().getExtensionParameter("SIZE");
      long max = size == null || size.isBlank() ? 0 : Long.parseLong(size.trim().split(" ")[0]);
      return max > 0 ? SizeLimit.message(max) : SizeLimit.NONE;
    } catch (NumberFormatException e) {
      return SizeLimit.NONE; // a malformed announcement: let the server judge the message
    } finally {
      pool.release(lease, true);
    }
  }

  /** The sender cannot read the recipient's store: every SMTP ledger entry is not verifiable. */
  @Override
  public ReadBack readBack(Mailbox mailbox, MessageKey key, String targetItemId) {
    return new ReadBack.NotVerifiable(
        "SMTP: a submitted copy cannot be read back from the sending side; check it in the"
            + " receiving archive (queue id "
            + (targetItemId.isEmpty() ? "unknown" : targetItemId)
            + ")");
  }

  @Override
  public List<ArchivedItem> list(Mailbox mailbox) {
    return List.of();
  }

  @Override
  public boolean canList() {
    return false;
  }

  @Override
  public Receipt deliver(Mailbox mailbox, ArchiveEmail email) throws DeliveryException {
    Optional<Receipt> journal = find(mailbox, email.key());
    if (journal.isPresent()) {
      return journal.get(); // the journal copy of this version covers this mailbox too
    }
    Mailbox recipient = settings.journalAddress().orElse(mailbox);
    String queueId = send(email, recipient);
    if (settings.journalAddress().isPresent()) {
      synchronized (journalled) {
        journalled.put(email.key(), queueId);
      }
    }
    return new Receipt(mailbox, email.key(), queueId, false);
  }

  private String send(ArchiveEmail email, Mailbox recipient) throws DeliveryException {
    ConnectionPool.Lease<SMTPTransport> lease = pool.acquire(POOL_KEY, this::connect);
    boolean reusable = false;
    try {
      SMTPTransport transport = lease.connection();
      RawSmtpMessage message = new RawSmtpMessage(session, email);
      message.setEnvelopeFrom(settings.envelopeFrom().address());
      if (transport.supportsExtension("8BITMIME")) {
        message.setMailExtension("BODY=8BITMIME"); // the transcript is UTF-8 in 8bit parts
      }
      transport.sendMessage(
          message, new Address[] {new InternetAddress(recipient.address(), false)});
      String reply = transport.getLastServerResponse();
      reusable = true;
      return SmtpReplies.queueId(reply).orElse(email.key().messageId());
    } catch (MessagingException e) {
      throw classify(recipient, e);
    } finally {
      pool.release(lease, reusable);
    }
  }

  private SMTPTransport connect() throws DeliveryException {
    try {
      SMTPTransport transport = (SMTPTransport) session.getTransport(protocol);
      transport.connect(
          settings.host(), settings.port(), settings.username().orElse(null), settings.password());
      return transport;
    } catch (MessagingException e) {
      throw classify(null, e);
    }
  }

  /** 5xx is permanent, 4xx transient; names the setting to fix where there is one. */
  DeliveryException classify(Mailbox recipient, MessagingException e) {
    Optional<String> untrusted =
        io.lparchiver.tls.TlsTrust.explain(e, "SMTP server " + settings.endpoint());
    if (untrusted.isPresent()) {
      return new DeliveryException(untrusted.get(), false, e);
    }
    // Angus reports a connection that stopped answering during EHLO or AUTH as an authentication
    // failure; only a refusal the server actually sent means the credentials are wrong
    if (e instanceof AuthenticationFailedException && !MailSessions.lostConnection(e)) {
      return new DeliveryException(
          "SMTP AUTH at "
              + settings.endpoint()
              + " was refused ("
              + text(e)
              + "): check target.smtp.username and target.smtp.password",
          false,
          e);
    }
    int code = replyCode(e);
    String to = recipient == null ? "" : " for " + recipient;
    if (code >= 500) {
      return new DeliveryException(
          "SMTP server " + settings.endpoint() + " rejected the message" + to + ": " + text(e),
          false,
          e);
    }
    if (code >= 400) {
      return new DeliveryException(
          "SMTP server "
              + settings.endpoint()
              + " deferred the message"
              + to
              + " (temporary): "
              + text(e)
              + "; will retry",
          true,
          e);
    }
    return new DeliveryException(
        "cannot submit to SMTP server "
            + settings.endpoint()
            + to
            + ": "
            + text(e)
            + "; will reconnect and retry",
        true,
        e);
  }

  /** The SMTP reply code in the failure, or 0 when the connection failed instead. */
  static int replyCode(Exception e) {
    for (Exception x = e; x != null; ) {
      if (x instanceof SMTPAddressFailedException a) {
        return a.getReturnCode();
      }
      if (x instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
        return s.getReturnCode();
      }
      if (x instanceof SendFailedException sfe && sfe.getNextException() != null) {
        x = sfe.getNextException();
      } else if (x instanceof MessagingException me && me.getNextException() != null) {
        x = me.getNextException();
      } else {
        return 0;
      }
    }
    return 0;
  }

  private static String text(Exception e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.strip().replace("\n", " ");
  }

  private static void closeQuietly(SMTPTransport transport) {
    try {
      transport.close();
    } catch (MessagingException e) {
      // broken connection: nothing to release
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
