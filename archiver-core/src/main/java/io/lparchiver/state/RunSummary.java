package io.lparchiver.state;

/**
 * What one run did, for {@code status} and the log.
 *
 * @param conversations conversation versions seen
 * @param emails emails rendered
 * @param deliveries copies written (after fan-out to mailboxes)
 * @param duplicates copies skipped because the ledger or the target already had them
 * @param deadLetters conversations or copies dead-lettered
 * @param mailboxes distinct mailboxes delivered to
 * @param exitCode the process exit code (0, 1, 2 or 3)
 */
public record RunSummary(
    int conversations,
    int emails,
    int deliveries,
    int duplicates,
    int deadLetters,
    int mailboxes,
    int exitCode) {}
