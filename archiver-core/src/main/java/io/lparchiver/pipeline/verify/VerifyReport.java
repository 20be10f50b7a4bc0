package io.lparchiver.pipeline.verify;

/**
 * What {@code verify} checked and how many of each finding.
 *
 * @param auditEntries audit entries walked
 * @param auditIntact the hash chain is unbroken
 * @param signedDays day signatures stored
 * @param signaturesChecked false when no {@code audit.signingKey} is configured
 * @param auditProblems broken chain links and signature problems
 * @param ledgerEntries ledger entries checked against the target
 * @param intact entries whose copy matched the ledger
 * @param missing entries whose copy is gone
 * @param altered entries whose copy differs
 * @param unreadable entries the target could not be asked about
 * @param notVerifiable entries the target cannot show from here (SMTP)
 * @param mailboxes mailboxes whose archive folder was listed for unexpected items
 * @param unexpected lp-archiver items the ledger does not know, or second copies
 */
public record VerifyReport(
    long auditEntries,
    boolean auditIntact,
    int signedDays,
    boolean signaturesChecked,
    int auditProblems,
    long ledgerEntries,
    long intact,
    long missing,
    long altered,
    long unreadable,
    long notVerifiable,
    int mailboxes,
    long unexpected) {

  /** Exit code: every entry checked is intact and the audit trail too. */
  public static final int INTACT = 0;

  /** Exit code: something is missing, altered, unexpected, unreadable, or the audit is broken. */
  public static final int NOT_INTACT = 4;

  /** Exit code: nothing wrong found, but some entries cannot be verified from here (SMTP). */
  public static final int NOT_VERIFIABLE = 5;

  public long problems() {
    return auditProblems + missing + altered + unreadable + unexpected;
  }

  public int exitCode() {
    if (problems() > 0) {
      return NOT_INTACT;
    }
    return notVerifiable > 0 ? NOT_VERIFIABLE : INTACT;
  }
}
