package io.lparchiver.pipeline;

import io.lparchiver.model.Mailbox;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Counts of one run as it goes; single-threaded, turned into a {@link SyncReport} at the end. */
final class SyncTally {
  private final SyncListener listener;
  private final Set<String> conversations = new HashSet<>();
  private long lastEmailBytes;
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

  void conversation(String key) {
    if (conversations.add(key)) {
      listener.conversationFound();
    }
  }

  int conversationCount() {
    return conversations.size();
  }

  void email() {
    email(0);
  }

  /** An email was rendered; the copies delivered next are of its size. */
  void email(long bytes) {
    emails++;
    lastEmailBytes = bytes;
    listener.emailRendered(bytes);
  }

  void delivered(Mailbox mailbox) {
    deliveries++;
    perMailbox.merge(mailbox, 1, Integer::sum);
    listener.delivered(mailbox, lastEmailBytes);
  }

  void duplicate() {
    duplicates++;
    listener.duplicate();
  }

  void deadLetter(String line) {
    deadLetters.add(line);
    listener.deadLettered(line);
  }

  void planned(String conversation, List<Mailbox> mailboxes) {
    dryRunPlan.put(conversation, List.copyOf(mailboxes));
    mailboxes.forEach(m -> perMailbox.merge(m, 1, Integer::sum));
  }

  SyncReport report(boolean dryRun) {
    return new SyncReport(
        conversations.size(),
        emails,
        dryRun ? 0 : deliveries,
        duplicates,
        deadLetters.size(),
        perMailbox,
        deadLetters,
        dryRunPlan);
  }
}
