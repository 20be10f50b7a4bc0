package io.lparchiver.deliver;

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
   * be checked is what the item carries: the email's SHA-256 recorded at creation and the SHA-256
   * of its {@code conversation.json} attachment (the LivePerson record, byte for byte).
   *
   * @param itemId the item that was read
   * @param recordedEmailSha256 the hash stored on the item at creation; empty when it has none
   * @param conversationJsonSha256 hex SHA-256 of the {@code conversation.json} attachment; empty
   *     when the item has no such attachment
   */
  record Attested(
      String itemId, Optional<String> recordedEmailSha256, Optional<String> conversationJsonSha256)
      implements ReadBack {}

  /**
   * This target cannot be read back from here (SMTP: the sender cannot see the recipient's store).
   *
   * @param reason why, for the report
   */
  record NotVerifiable(String reason) implements ReadBack {}
}
