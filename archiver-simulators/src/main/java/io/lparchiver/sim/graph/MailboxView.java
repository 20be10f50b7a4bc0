package io.lparchiver.sim.graph;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one mailbox for test assertions.
 *
 * @param user the mailbox's user
 * @param folders every folder, well-known ones included
 * @param messages every message in any folder
 * @param maxInFlight the most requests this mailbox ever had in flight at once
 */
public record MailboxView(
    GraphUser user, List<StoredFolder> folders, List<StoredMessage> messages, int maxInFlight) {

  public MailboxView {
    folders = List.copyOf(folders);
    messages = List.copyOf(messages);
  }

  /** The child of the Inbox with this display name. */
  public Optional<StoredFolder> inboxChild(String displayName) {
    Optional<String> inbox =
        folders.stream()
            .filter(f -> f.wellKnownName().equals("inbox"))
            .map(StoredFolder::id)
            .findFirst(); // absent in a mailbox no request has touched
    return inbox.flatMap(
        id ->
            folders.stream()
                .filter(f -> f.parentFolderId().equals(id) && f.displayName().equals(displayName))
                .findFirst());
  }

  /** Messages in the Inbox child of this name (none when it does not exist). */
  public List<StoredMessage> messagesInInboxChild(String displayName) {
    return inboxChild(displayName)
        .map(f -> messages.stream().filter(m -> m.folderId().equals(f.id())).toList())
        .orElse(List.of());
  }
}
