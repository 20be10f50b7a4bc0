package io.lparchiver.state;

import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One ledger row: this conversation version is in this mailbox.
 *
 * @param key which conversation version
 * @param mailbox where the copy is
 * @param emailSha256 SHA-256 of the email bytes as delivered
 * @param bytes size of the email
 * @param targetType the sink's type, e.g. "maildir", "graph"
 * @param targetItemId the target's own id for the copy; "" when the target gives none
 * @param outcome how the copy got there
 * @param at when the copy was confirmed
 * @param sourceSha256 SHA-256 of the LivePerson record attached to this copy ({@code
 *     conversation.json}); it can differ from the version's when the copy was re-read by id (a
 *     repair or a retry: same content, other bytes); "" when not known (a copy found on the target,
 *     rows from before it was kept), and then the version's counts
 */
public record DeliveryRecord(
    MessageKey key,
    Mailbox mailbox,
    String emailSha256,
    long bytes,
    String targetType,
    String targetItemId,
    Outcome outcome,
    Instant at,
    String sourceSha256) {

  /** A row whose attached record is not known: the version's counts. */
  public DeliveryRecord(
      MessageKey key,
      Mailbox mailbox,
      String emailSha256,
      long bytes,
      String targetType,
      String targetItemId,
      Outcome outcome,
      Instant at) {
    this(key, mailbox, emailSha256, bytes, targetType, targetItemId, outcome, at, "");
  }

  /** How a copy came to be in the mailbox; never "partial" (oversize parts are externalised). */
  public enum Outcome {
    /** Written by this archiver now. */
    DELIVERED,
    /** Already on the target (written before a crash, before its ledger row). */
    FOUND_ON_TARGET,
    /** Delivered with oversize parts stored under the overflow directory and replaced by stubs. */
    EXTERNALISED;

    /** The value stored in the ledger and shown in reports. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public DeliveryRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(mailbox, "mailbox");
    Objects.requireNonNull(emailSha256, "emailSha256");
    Objects.requireNonNull(targetType, "targetType");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    targetItemId = targetItemId == null ? "" : targetItemId;
    sourceSha256 = sourceSha256 == null ? "" : sourceSha256;
  }
}
