package io.lparchiver.state;

/**
 * Totals for {@code status}.
 *
 * @param conversations distinct conversations
 * @param versions conversation versions
 * @param deliveries ledger rows (one per version and mailbox)
 * @param mailboxes distinct mailboxes with at least one delivery
 * @param openDeadLetters dead letters not yet resolved
 */
public record LedgerCounts(
    long conversations, long versions, long deliveries, long mailboxes, long openDeadLetters) {}
