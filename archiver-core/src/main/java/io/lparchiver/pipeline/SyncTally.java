package io.lparchiver.pipeline;

import io.lparchiver.model.Mailbox;
import io.lparchiver.model.RecentKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of one run as it goes, turned into a {@link SyncReport} at the end. Thread-safe: the
 * pipeline's lanes report into one tally; the listener hears each event under its lock.
 */
final class SyncTally {
  private final SyncListener listener;

  /**
   * Conversations are counted once even when two versions come in one run (an interim and the
   * closed one, read in overlapping windows), as long as they come close together; the set is
   * bounded so a run's memory does not grow with its size.
   */
  private final RecentKeys recentConversations = new RecentKeys(10_000);

  private int conversations;
  private int emails;
  private int deliveries;
  private int duplicates;
  private final List<String> deadLetters = new ArrayList<>();
  private final TreeMap<Mailbox, Integer> perMailbox = new TreeMap<>();
  private final Map<String, List<Mailbox>> dryRunPlan = new LinkedHashMap<>();

  SyncTally() {
    this(SyncListener.none());
  }

  SyncTally(SyncListener listener) {
    this.listener = listener;
  }

  synchronized void conversation(String key) {
    if (recentConversations.add(key)) {
      conversations++;
      listener.conversationFound();
    }
  }

  synchronized int conversationCount() {
    return conversations;
  }

  synchronized void email() {
    email(0);
  }

  synchronized void email(long bytes) {
    emails++;
    listener.emailRendered(bytes);
  }

  /** A copy of {@code bytes} was written into {@code mailbox}. */
  synchronized void delivered(Mailbox mailbox, long bytes) {
    deliveries++;
    perMailbox.merge(mailbox, 1, Integer::sum);
    listener.delivered(mailbox, bytes);
  }

  synchronized void duplicate() {
    duplicates++;
    listener.duplicate();
  }

  synchronized void deadLetter(String line) {
    deadLetters.add(line);
    listener.deadLettered(line);
  }

  synchronized void planned(String conversation, List<Mailbox> mailboxes) {
    dryRunPlan.put(conversation, List.copyOf(mailboxes));
    mailboxes.forEach(m -> perMailbox.merge(m, 1, Integer::sum));
  }

  synchronized SyncReport report(boolean dryRun) {
    return new SyncReport(
        conversations,
        emails,
        dryRun ? 0 : deliveries,
        duplicates,
        deadLetters.size(),
        perMailbox,
        deadLetters,
        dryRunPlan);
  }
}
