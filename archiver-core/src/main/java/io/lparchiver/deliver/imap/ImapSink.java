package io.lparchiver.deliver.imap;

import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.ConnectionPool;
import io.lparchiver.deliver.DeliveredIndex;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailSessions;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.SizeLimit;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.HeaderTerm;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;

/**
 * Delivers by IMAP APPEND into {@code INBOX<sep><folder>} of each mailbox (per-mailbox mode) or
 * into {@code INBOX<sep><folder><sep><mailbox>} of one archive account (shared mode), with the
 * {@code \Seen} flag and the conversation start (the Date header) as the internal date.
 *
 * <p>The receipt's target id is {@code <uidvalidity>:<uid>} from APPENDUID when the server
 * advertises UIDPLUS, else from a search for the copy's Message-ID just after it. {@link #find}
 * fetches the Message-IDs of a folder once per run (a {@link DeliveredIndex}) and searches the
 * folder by Message-ID only for one that may be there, so a copy appended before a crash, or before
 * a connection dropped mid-APPEND, is recognised instead of appended again.
 *
 * <p>Thread-safe: connections come from a pool bounded per login.
 */
public final class ImapSink implements MailboxSink, ArchiveReader {

  /** A connection idle for longer is checked with a NOOP before use. */
  private static final Duration CHECK_IDLE_AFTER = Duration.ofSeconds(10);

  /** Most copies in one MULTIAPPEND: Dovecot took 32 at 1.7 ms a copy, 8 at 2.2, one at 6. */
  private static final int MAX_BATCH_COPIES = 16;

  /** Most bytes in one MULTIAPPEND; a larger copy goes alone. */
  private static final long MAX_BATCH_BYTES = 32L * 1024 * 1024;

  private final ImapSettings settings;
  private final Session session;
  private final String protocol;
  private final ConnectionPool<ImapConnection> pool;
  private final Optional<OAuth2TokenSource> tokens;
  private final DeliveredIndex delivered = new DeliveredIndex();
  private final GroupedAppends appends;
  private final AtomicLong multiAppends = new AtomicLong();
  private final AtomicLong receiptsBySearch = new AtomicLong();

  public ImapSink(ImapSettings settings, Clock clock) {
    this.settings = settings;
    this.protocol = MailSessions.protocol("imap", settings.security());
    Properties props =
        MailSessions.properties(
            protocol, settings.host(), settings.port(), settings.security(), settings.timeout());
    props.setProperty("mail." + protocol + ".connectionpoolsize", "1");
    if (settings.oauth2().isPresent()) {
      props.setProperty("mail." + protocol + ".auth.mechanisms", "XOAUTH2");
    }
    this.tokens = settings.oauth2().map(o -> new OAuth2TokenSource(o, settings.timeout(), clock));
    this.session = Session.getInstance(props);
    this.pool =
        new ConnectionPool<>(
            settings.connectionsPerMailbox(),
            settings.maxIdleConnections(),
            settings.timeout().multipliedBy(2),
            ImapConnection::close,
            clock);
    this.appends =
        new GroupedAppends(settings.connectionsPerMailbox(), MAX_BATCH_COPIES, MAX_BATCH_BYTES);
  }

  @Override
  public String type() {
    return "imap";
  }

  @Override
  public void forgetListings() {
    delivered.forgetListings();
  }

  /** How many MULTIAPPEND commands of several copies the server accepted, for tests. */
  long multiAppends() {
    return multiAppends.get();
  }

  /** How many receipts came from a search for the copy (a server without UIDPLUS), for tests. */
  long receiptsBySearch() {
    return receiptsBySearch.get();
  }

  @Override
  public void ensureFolder(Mailbox mailbox) throws DeliveryException {
    withConnection(
        mailbox,
        "create the archive folder",
        true,
        conn -> {
          createFolder(conn, folderPath(conn, mailbox));
          return null;
        });
  }

  @Override
  public Optional<Receipt> find(Mailbox mailbox, MessageKey key) throws DeliveryException {
    String folder = mailbox.address();
    Optional<Boolean> mayHold = delivered.mayHold(folder, key.messageId());
    if (mayHold.isEmpty()) {
      delivered.listed(
          folder,
          withConnection(
              mailbox, "list the archive folder", true, conn -> messageIds(conn, mailbox)));
      mayHold = delivered.mayHold(folder, key.messageId());
    }
    if (!mayHold.orElse(true)) {
      return Optional.empty();
    }
    return withConnection(
        mailbox, "search the archive folder", true, conn -> search(conn, mailbox, key));
  }

  /** The server's APPENDLIMIT (RFC 7889) and target.imap.maxMessageSize, whichever is lower. */
  @Override
  public SizeLimit sizeLimit(Mailbox mailbox) throws DeliveryException {
    long server =
        withConnection(
            mailbox,
            "read the server's APPENDLIMIT",
            true,
            conn -> conn.appendLimit().orElse(Long.MAX_VALUE));
    long limit = Math.min(server, settings.maxMessageSize());
    return limit == Long.MAX_VALUE ? SizeLimit.NONE : SizeLimit.message(limit);
  }

  @Override
  public Receipt deliver(Mailbox mailbox, ArchiveEmail email) throws DeliveryException {
    try {
      return appends.append(
          mailbox.address(), email, InternalDate.of(email), batch -> send(mailbox, batch));
    } finally {
      // also after a failure: an APPEND whose answer was lost may have landed, so the next find
      // must ask the server
      delivered.added(mailbox.address(), email.key().messageId());
    }
  }

  /**
   * One batch of copies for one mailbox: one MULTIAPPEND (RFC 3502) when the server offers it and
   * the batch has more than one copy, else, and when the server refuses the batch (a NO or BAD
   * appends none of it), one APPEND per copy, so that each copy gets its own answer. A batch whose
   * answer is lost fails as a whole: each lane then looks its copy up before it tries again.
   */
  private List<GroupedAppends.Outcome> send(Mailbox mailbox, List<GroupedAppends.Copy> batch)
      throws DeliveryException {
    if (batch.size() > 1) {
      Optional<List<Receipt>> together =
          withConnection(
              mailbox,
              "append to the archive folder",
              false,
              conn -> multiAppend(conn, mailbox, batch));
      if (together.isPresent()) {
        return together.get().stream().map(GroupedAppends.Outcome::of).toList();
      }
    }
    List<GroupedAppends.Outcome> outcomes = new ArrayList<>(batch.size());
    for (GroupedAppends.Copy copy : batch) {
      try {
        outcomes.add(GroupedAppends.Outcome.of(appendOne(mailbox, copy)));
      } catch (DeliveryException e) {
        outcomes.add(GroupedAppends.Outcome.failed(e));
      }
    }
    return outcomes;
  }

  private Receipt appendOne(Mailbox mailbox, GroupedAppends.Copy copy) throws DeliveryException {
    ArchiveEmail email = copy.email;
    return withConnection(
        mailbox,
        "append to the archive folder",
        false,
        conn -> {
          if (conn.overAppendLimit(email.size())) {
            throw ImapFailures.tooLarge(
                settings, email.size() + " bytes > APPENDLIMIT " + conn.appendLimit().get(), null);
          }
          return append(conn, mailbox, email, copy.internalDate);
        });
  }

  /**
   * The batch in one MULTIAPPEND, and a receipt per copy from its APPENDUID (or, without UIDPLUS, a
   * search); empty when the server does not offer MULTIAPPEND, a copy is over its APPENDLIMIT, or
   * it refused the command (then nothing of it was appended, RFC 3502).
   */
  private Optional<List<Receipt>> multiAppend(
      ImapConnection conn, Mailbox mailbox, List<GroupedAppends.Copy> batch)
      throws MessagingException {
    for (GroupedAppends.Copy copy : batch) {
      if (conn.overAppendLimit(copy.email.size())) {
        return Optional.empty();
      }
    }
    String path = folderPath(conn, mailbox);
    IMAPFolder folder = conn.folder(path);
    Object answer =
        folder.doCommand(
            p -> {
              if (!p.hasCapability("MULTIAPPEND")) {
                return null;
              }
              Argument args = new Argument();
              args.writeString(BASE64MailboxEncoder.encode(path));
              for (GroupedAppends.Copy copy : batch) {
                args.writeAtom("(\\Seen)");
                if (copy.internalDate != null) {
                  args.writeString(InternalDate.imap(copy.internalDate));
                }
                args.writeBytes(new EmailLiteral(copy.email));
              }
              Response[] responses = p.command("APPEND", args);
              p.notifyResponseHandlers(responses);
              Response result = responses[responses.length - 1];
              if (result.isNO() || result.isBAD()) {
                return null; // nothing appended: each copy goes alone, with its own answer
              }
              p.handleResult(result);
              // trusted only where advertised: Dovecot sends APPENDUID even when it is not
              return p.hasCapability("UIDPLUS") ? result.toString() : "";
            });
    if (answer == null) {
      return Optional.empty();
    }
    multiAppends.incrementAndGet();
    Optional<List<String>> uids = AppendUids.of((String) answer, batch.size());
    List<Receipt> receipts = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      MessageKey key = batch.get(i).email.key();
      if (uids.isPresent()) {
        receipts.add(new Receipt(mailbox, key, uids.get().get(i), false));
      } else {
        receipts.add(receiptBySearch(conn, mailbox, key));
      }
    }
    return Optional.of(receipts);
  }

  /** The Message-IDs in the mailbox's archive folder, fetched in one command. */
  private List<String> messageIds(ImapConnection conn, Mailbox mailbox) throws MessagingException {
    IMAPFolder folder = conn.folder(folderPath(conn, mailbox));
    try {
      folder.open(Folder.READ_ONLY);
    } catch (FolderNotFoundException e) {
      return List.of(); // folder not created yet: nothing delivered
    }
    try {
      Message[] all = folder.getMessages();
      FetchProfile headers = new FetchProfile();
      headers.add("Message-ID");
      folder.fetch(all, headers);
      List<String> ids = new ArrayList<>(all.length);
      for (Message message : all) {
        String[] id = message.getHeader("Message-ID");
        if (id != null && id.length > 0) {
          ids.add(id[0].strip());
        }
      }
      return ids;
    } finally {
      folder.close(false);
    }
  }

  @Override
  public ReadBack readBack(Mailbox mailbox, MessageKey key, String targetItemId)
      throws DeliveryException {
    return withConnection(
        mailbox,
        "read back from the archive folder",
        true,
        conn -> readBack(conn, mailbox, key, targetItemId));
  }

  @Override
  public List<ArchivedItem> list(Mailbox mailbox) throws DeliveryException {
    return withConnection(mailbox, "list the archive folder", true, conn -> list(conn, mailbox));
  }

  /** The ledger's UID when it still holds this Message-ID, else a search; raw BODY[] hashed. */
  private ReadBack readBack(ImapConnection conn, Mailbox mailbox, MessageKey key, String itemId)
      throws MessagingException {
    IMAPFolder folder = conn.folder(folderPath(conn, mailbox));
    try {
      folder.open(Folder.READ_ONLY); // EXAMINE: reading sets no flag
    } catch (FolderNotFoundException e) {
      return new ReadBack.Missing();
    }
    try {
      Message message = byUid(folder, itemId).filter(m -> hasMessageId(m, key)).orElse(null);
      if (message == null) {
        for (Message hit : folder.search(new HeaderTerm("Message-ID", key.messageId()))) {
          if (hasMessageId(hit, key)) {
            message = hit;
            break;
          }
        }
      }
      if (message == null) {
        return new ReadBack.Missing();
      }
      MessageDigest digest = sha256();
      long[] size = {0};
      try (OutputStream out =
          new DigestOutputStream(
              new OutputStream() {
                @Override
                public void write(int b) {
                  size[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                  size[0] += len;
                }
              },
              digest)) {
        message.writeTo(out); // an unloaded IMAPMessage writes the fetched BODY[] as stored
      } catch (IOException e) {
        throw new MessagingException("cannot read " + key.messageId() + ": " + e.getMessage(), e);
      }
      return new ReadBack.Bytes(
          folder.getUIDValidity() + ":" + folder.getUID(message),
          HexFormat.of().formatHex(digest.digest()),
          size[0]);
    } finally {
      folder.close(false);
    }
  }

  private static Optional<Message> byUid(IMAPFolder folder, String itemId)
      throws MessagingException {
    int colon = itemId.indexOf(':');
    if (colon < 0) {
      return Optional.empty(); // no UIDPLUS at delivery: the item id is the Message-ID
    }
    try {
      long validity = Long.parseLong(itemId.substring(0, colon));
      long uid = Long.parseLong(itemId.substring(colon + 1));
      if (validity != folder.getUIDValidity()) {
        return Optional.empty(); // the folder was recreated: UIDs mean other messages now
      }
      return Optional.ofNullable(folder.getMessageByUID(uid));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean hasMessageId(Message message, MessageKey key) {
    try {
      String[] ids = message.getHeader("Message-ID");
      return ids != null && ids.length > 0 && key.messageId().equals(ids[0].strip());
    } catch (MessagingException e) {
      return false; // expunged meanwhile
    }
  }

  private List<ArchivedItem> list(ImapConnection conn, Mailbox mailbox) throws MessagingException {
    IMAPFolder folder = conn.folder(folderPath(conn, mailbox));
    try {
      folder.open(Folder.READ_ONLY);
    } catch (FolderNotFoundException e) {
      return List.of();
    }
    try {
      Message[] messages = folder.getMessages();
      FetchProfile profile = new FetchProfile();
      profile.add(UIDFolder.FetchProfileItem.UID);
      profile.add("Message-ID");
      folder.fetch(messages, profile); // one FETCH for the whole folder
      List<ArchivedItem> items = new ArrayList<>();
      long validity = folder.getUIDValidity();
      for (Message m : messages) {
        String[] ids = m.getHeader("Message-ID");
        if (ids != null && ids.length > 0 && ArchiveReader.isArchiverMessageId(ids[0].strip())) {
          items.add(new ArchivedItem(ids[0].strip(), validity + ":" + folder.getUID(m)));
        }
      }
      return List.copyOf(items);
    } finally {
      folder.close(false);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private Receipt append(ImapConnection conn, Mailbox mailbox, ArchiveEmail email, Date date)
      throws MessagingException {
    String path = folderPath(conn, mailbox);
    IMAPFolder folder = conn.folder(path);
    EmailLiteral literal = new EmailLiteral(email);
    AppendUID uid;
    try {
      uid = appendLiteral(folder, path, literal, date);
    } catch (MessagingException e) {
      // a NO (a lost connection is not asked about): deleted since ensureFolder, the server says
      // [TRYCREATE]; not every server does, so ask whether the folder is there
      if (!(e.getCause() instanceof CommandFailedException) || folder.exists()) {
        throw e;
      }
      createFolder(conn, path);
      uid = appendLiteral(folder, path, literal, date);
    }
    if (uid != null) {
      return new Receipt(mailbox, email.key(), uid.uidvalidity + ":" + uid.uid, false);
    }
    return receiptBySearch(conn, mailbox, email.key());
  }

  /** The receipt of a copy just appended to a server without UIDPLUS: the search tells its UID. */
  private Receipt receiptBySearch(ImapConnection conn, Mailbox mailbox, MessageKey key)
      throws MessagingException {
    receiptsBySearch.incrementAndGet();
    return search(conn, mailbox, key)
        .map(found -> new Receipt(mailbox, key, found.targetItemId(), false))
        .orElse(new Receipt(mailbox, key, key.messageId(), false));
  }

  /**
   * APPEND {@code \Seen} straight through the protocol: {@code IMAPFolder.appendUIDMessages} would
   * also LIST the folder before every APPEND (a round trip per copy) and copy the email through a
   * CRLF filter to measure it. The APPENDUID of the answer, or null without UIDPLUS.
   */
  private static AppendUID appendLiteral(
      IMAPFolder folder, String path, EmailLiteral literal, Date date) throws MessagingException {
    Flags seen = new Flags(Flags.Flag.SEEN);
    return (AppendUID)
        folder.doCommand(
            p -> {
              if (p.hasCapability("UIDPLUS")) {
                return p.appenduid(path, seen, date, literal);
              }
              p.append(path, seen, date, literal);
              return null;
            });
  }

  private Optional<Receipt> search(ImapConnection conn, Mailbox mailbox, MessageKey key)
      throws MessagingException {
    IMAPFolder folder = conn.folder(folderPath(conn, mailbox));
    try {
      folder.open(Folder.READ_ONLY);
    } catch (FolderNotFoundException e) {
      return Optional.empty(); // folder not created yet: nothing delivered
    }
    try {
      for (Message hit : folder.search(new HeaderTerm("Message-ID", key.messageId()))) {
        // HEADER search matches substrings; only the exact Message-ID counts
        String[] ids = hit.getHeader("Message-ID");
        if (ids != null && ids.length > 0 && key.messageId().equals(ids[0].strip())) {
          String id = folder.getUIDValidity() + ":" + folder.getUID(hit);
          return Optional.of(new Receipt(mailbox, key, id, true));
        }
      }
      return Optional.empty();
    } finally {
      folder.close(false);
    }
  }

  /** Creates and subscribes the folder; a concurrent creator winning the race is fine. */
  private static void createFolder(ImapConnection conn, String path) throws MessagingException {
    IMAPFolder folder = conn.folder(path);
    if (!folder.exists()) {
      try {
        folder.doCommand(
            p -> {
              p.create(path);
              return null;
            });
      } catch (MessagingException e) {
        if (!folder.exists()) {
          throw e;
        }
      }
    }
    if (!folder.isSubscribed()) {
      folder.doCommand(
          p -> {
            p.subscribe(path);
            return null;
          });
    }
  }

  /**
   * {@code INBOX.<folder>} or, shared, {@code INBOX.<folder>.<mailbox>}, in the server's syntax.
   */
  String folderPath(ImapConnection conn, Mailbox mailbox) throws MessagingException {
    char sep = conn.separator();
    String path = "INBOX" + sep + settings.folder();
    if (settings.mode() == ImapSettings.Mode.PER_MAILBOX) {
      return path;
    }
    return path + sep + sharedFolderName(mailbox, sep);
  }

  /**
   * A mailbox's folder name in shared mode. The hierarchy separator (usually '.', which every
   * domain contains) becomes ',', which an address cannot contain, so two mailboxes can never share
   * a folder.
   */
  static String sharedFolderName(Mailbox mailbox, char separator) throws MessagingException {
    String address = mailbox.address();
    if (address.indexOf('%') >= 0 || address.indexOf('*') >= 0) {
      throw new MessagingException(
          "[CANNOT] " + address + " contains an IMAP wildcard and cannot name a folder");
    }
    return address.replace(separator, ',');
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(ImapConnection conn) throws MessagingException, DeliveryException;
  }

  /**
   * Runs work on a pooled connection. A connection that turns out broken is discarded; idempotent
   * work (search, create) is retried once on a fresh connection, an APPEND never is: whether it
   * landed is unknown, so the caller's find before the next attempt decides.
   */
  private <T> T withConnection(Mailbox mailbox, String action, boolean idempotent, Work<T> work)
      throws DeliveryException {
    String login = settings.login(mailbox);
    for (int attempt = 1; ; attempt++) {
      ConnectionPool.Lease<ImapConnection> lease = pool.acquire(login, () -> connect(login));
      boolean reusable = false;
      try {
        if (lease.idleFor().compareTo(CHECK_IDLE_AFTER) > 0 && !lease.connection().isAlive()) {
          continue; // the finally discards it; a stale idle connection does not count
        }
        T result = work.run(lease.connection());
        reusable = true;
        return result;
      } catch (DeliveryException e) {
        reusable = true; // decided before talking to the server
        throw e;
      } catch (MessagingException e) {
        DeliveryException failure = ImapFailures.classify(settings, login, action, e);
        reusable = !ImapFailures.isConnectionLoss(e);
        if (!idempotent || reusable || attempt >= 2) {
          throw failure;
        }
      } finally {
        pool.release(lease, reusable);
      }
    }
  }

  private ImapConnection connect(String login) throws DeliveryException {
    String credential = tokens.isPresent() ? tokens.get().token() : settings.password();
    try {
      IMAPStore store = (IMAPStore) session.getStore(protocol);
      return ImapConnection.open(store, login, credential);
    } catch (MessagingException e) {
      tokens.ifPresent(OAuth2TokenSource::invalidate); // expired or revoked: fetch anew next time
      throw ImapFailures.classify(settings, login, "log in", e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
