package io.lparchiver.deliver;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.SizeLimit;
import java.util.Optional;

/**
 * A delivery target: puts one copy of an archive email into a mailbox's archive folder.
 *
 * <p>Lifecycle: opened by the pipeline for a run and closed after it. Thread-safety: safe for
 * concurrent calls on different mailboxes. Idempotence: {@link #find} lets the pipeline recognise a
 * copy that was written before a crash, before its ledger row was; {@link #deliver} itself never
 * checks, so callers call {@code find} first when the ledger does not know the copy.
 */
public interface MailboxSink extends AutoCloseable {

  /** A short name for logs and the ledger, e.g. "maildir". */
  String type();

  /** Creates the archive folder in the mailbox when it is missing. Safe to call repeatedly. */
  void ensureFolder(Mailbox mailbox) throws DeliveryException;

  /** Finds a copy of this conversation version already in the mailbox's archive folder. */
  Optional<Receipt> find(Mailbox mailbox, MessageKey key) throws DeliveryException;

  /**
   * Whether {@link #find} sees every copy {@link #deliver} wrote, even one written by a process
   * that crashed since. Then the pipeline records a conversation's copies in one ledger commit
   * after its last copy; otherwise one after each, so that a crash sends at most one copy again.
   */
  default boolean findsEveryCopy() {
    return true;
  }

  /**
   * Forgets what the archive folders were seen to hold, so {@link #find} asks the target again:
   * another process wrote to them meanwhile. In Kafka Connect a task that takes over a partition
   * calls it, since the task that owned the partition before may have written copies without their
   * ledger rows (it was killed in between).
   */
  default void forgetListings() {}

  /**
   * Writes the email into the mailbox's archive folder. When this returns, the copy is durable;
   * when it throws, no partial copy is visible.
   */
  Receipt deliver(Mailbox mailbox, ArchiveEmail email) throws DeliveryException;

  /**
   * The largest email this target takes into the mailbox (e.g. the server's IMAP APPENDLIMIT or
   * SMTP SIZE); the pipeline externalises larger parts before {@link #deliver}. May ask the server.
   */
  default SizeLimit sizeLimit(Mailbox mailbox) throws DeliveryException {
    return SizeLimit.NONE;
  }

  @Override
  default void close() {}
}
