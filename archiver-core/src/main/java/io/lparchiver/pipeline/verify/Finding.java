package io.lparchiver.pipeline.verify;

import java.util.Objects;

/**
 * One thing {@code verify} found that is not intact (or could not be checked).
 *
 * @param kind what is wrong
 * @param mailbox the mailbox concerned; "" for the audit trail
 * @param messageId the conversation version's Message-ID; "" for the audit trail
 * @param itemId the target's item id (ledger's or found); "" when none
 * @param detail what exactly, in words an auditor can act on
 */
public record Finding(Kind kind, String mailbox, String messageId, String itemId, String detail) {

  /** The categories of the report. */
  public enum Kind {
    /** The audit hash chain or a day signature does not match. */
    AUDIT,
    /** A ledger entry whose copy is not in the archive folder. */
    MISSING,
    /** A copy whose bytes (or recorded hashes) differ from the ledger. */
    ALTERED,
    /** An lp-archiver item in an archive folder that the ledger does not know (or a 2nd copy). */
    UNEXPECTED,
    /** The target could not be read for this entry (an error, not a verdict). */
    UNREADABLE,
    /** The target cannot be read back from here (SMTP); neither intact nor a problem proven. */
    NOT_VERIFIABLE;

    /** True for the kinds that make the archive not intact. */
    public boolean isProblem() {
      return this != NOT_VERIFIABLE;
    }
  }

  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(mailbox, "mailbox");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(detail, "detail");
  }
}
