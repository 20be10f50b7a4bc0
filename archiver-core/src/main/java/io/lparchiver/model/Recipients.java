package io.lparchiver.model;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The outcome of mapping one conversation.
 *
 * @param mailboxes every mailbox that gets one copy (deduplicated, sorted)
 * @param addresses participant id to the address shown in From/To/Cc
 * @param decisions one decision per participant, for dry runs and the log
 */
public record Recipients(
    SortedSet<Mailbox> mailboxes, Map<String, String> addresses, List<MappingDecision> decisions) {

  public Recipients {
    mailboxes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(mailboxes));
    addresses = Map.copyOf(addresses);
    decisions = List.copyOf(decisions);
  }

  public boolean isEmpty() {
    return mailboxes.isEmpty();
  }
}
