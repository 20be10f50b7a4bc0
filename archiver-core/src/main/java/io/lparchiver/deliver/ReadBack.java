package io.lparchiver.deliver;

import java.util.List;
import java.util.Optional;

/** What a target holds for one ledger entry, as read back by {@link ArchiveReader}. */
public sealed interface ReadBack {

  /** No copy of the conversation version is in the archive folder. */
  record Missing() implements ReadBack {}

  /**
   * The copy's raw bytes were re-read and hashed (Maildir, IMAP): comparable with the ledger.
   *
   * @param itemId the item that was read
   * @param sha256 hex SHA-256 of its bytes
   * @param bytes its size
   */
  record Bytes(String itemId, String sha256, long bytes) implements ReadBack {}

  /**
   * The target does not keep the original bytes (Microsoft Graph rebuilds the message), so what can
   * be checked is what the item carries: the email's SHA-256 recorded at creation, its attachments'
   * bytes, and the visible text of its body.
   *
   * @param itemId the item that was read
   * @param recordedEmailSha256 the hash stored on the item at creation; empty when it has none
   * @param conversationJsonSha256 hex SHA-256 of the {@code conversation.json} attachment; empty
   *     when the item has no such attachment
   * @param attachments every attachment of the item now, in the order the target lists them
   * @param recordedAttachmentCount the attachment count stored on the item at creation, if any
   * @param recordedBodyTextSha256 the body text hash stored on the item at creation, if any
   * @param bodyTextSha256 the hash of the body's visible text as read now
   */
  record Attested(
      String itemId,
      Optional<String> recordedEmailSha256,
      Optional<String> conversationJsonSha256,
      List<Attachment> attachments,
      Optional<Integer> recordedAttachmentCount,
      Optional<String> recordedBodyTextSha256,
      String bodyTextSha256)
      implements ReadBack {

    public Attested {
      attachments = List.copyOf(attachments);
    }
  }

  /**
   * One attachment as read back.
   *
   * @param name its file name on the target
   * @param bytes the length of its content
   * @param sha256 hex SHA-256 of its content; empty when it could not be read
   * @param unreadable why it could not be read; empty when it was
   */
  record Attachment(String name, long bytes, Optional<String> sha256, String unreadable) {}

  /**
   * This target cannot be read back from here (SMTP: the sender cannot see the recipient's store).
   *
   * @param reason why, for the report
   */
  record NotVerifiable(String reason) implements ReadBack {}
}
