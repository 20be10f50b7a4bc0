package io.lparchiver.state;

/**
 * A ledger row and the audit chain disagree: the row was changed, added or removed outside
 * lp-archiver (the audit entry, being chained and signed, is the one to trust).
 *
 * @param messageId the conversation version's Message-ID
 * @param mailbox the mailbox address
 * @param description what differs, for the report
 */
public record LedgerDiscrepancy(String messageId, String mailbox, String description) {}
