package io.lparchiver.pipeline;

import io.lparchiver.model.Mailbox;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a sync did.
 *
 * @param conversations distinct conversations read from LivePerson and archived (closed ones, and
 *     open ones old enough for an interim version)
 * @param emails conversation versions rendered because at least one mailbox lacked them
 * @param deliveries copies written to the target in this run
 * @param duplicates copies that were already archived (ledger or target) and not written again
 * @param deadLetters conversations (or copies) that could not be archived and were dead-lettered
 * @param deliveriesPerMailbox copies written per mailbox
 * @param deadLetterReasons one line per dead letter of this run
 * @param dryRunPlan for a dry run: conversation id to the mailboxes it would go to
 */
public record SyncReport(
    int conversations,
    int emails,
    int deliveries,
    int duplicates,
    int deadLetters,
    SortedMap<Mailbox, Integer> deliveriesPerMailbox,
    List<String> deadLetterReasons,
    Map<String, List<Mailbox>> dryRunPlan) {

  public SyncReport {
    deliveriesPerMailbox =
        java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(deliveriesPerMailbox));
    deadLetterReasons = List.copyOf(deadLetterReasons);
    dryRunPlan = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dryRunPlan));
  }

  public int mailboxes() {
    return deliveriesPerMailbox.size();
  }

  /** Exit code of ARCHITECTURE section 9: 0 all archived, 3 some dead-lettered. */
  public int exitCode() {
    return deadLetters > 0 ? 3 : 0;
  }
}
