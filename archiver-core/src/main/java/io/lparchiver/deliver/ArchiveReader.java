package io.lparchiver.deliver;

import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import java.util.List;

/**
 * Reads archived copies back from a target, for {@code verify}: did the copy the ledger names
 * arrive intact, and what else with an lp-archiver Message-ID is in the archive folder.
 *
 * <p>Separate from {@link MailboxSink} because reading back is an audit concern, not part of
 * delivery; each sink implements both. Lifecycle and thread-safety: those of the sink. Read-only:
 * nothing on the target is changed (no flags set, no incomplete item removed).
 */
public interface ArchiveReader {

  /**
   * Reads back the copy of {@code key} in the mailbox's archive folder, preferring the item the
   * ledger recorded ({@code targetItemId}) and falling back to a lookup by Message-ID.
   */
  ReadBack readBack(Mailbox mailbox, MessageKey key, String targetItemId) throws DeliveryException;

  /**
   * Every item in the mailbox's archive folder whose Message-ID is an lp-archiver one ({@code
   * ...@lp-archiver>}), duplicates included. Targets that cannot be listed (SMTP) return an empty
   * list and say so through {@link #canList()}.
   */
  List<ArchivedItem> list(Mailbox mailbox) throws DeliveryException;

  /** False for targets whose content cannot be listed from here (SMTP). */
  default boolean canList() {
    return true;
  }

  /**
   * One lp-archiver item found in an archive folder.
   *
   * @param messageId the item's Message-ID, with angle brackets
   * @param itemId the target's id for it (file name, {@code uidvalidity:uid}, Graph id)
   */
  record ArchivedItem(String messageId, String itemId) {}

  /** True for a Message-ID that lp-archiver writes (see {@code MessageKey#messageId}). */
  static boolean isArchiverMessageId(String messageId) {
    return messageId != null && messageId.startsWith("<lp.") && messageId.endsWith("@lp-archiver>");
  }
}
