package io.lparchiver.sim.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** One user's mailbox: folders and messages. Guarded by its own monitor. */
final class SimMailbox {

  private static final List<String> WELL_KNOWN =
      List.of("inbox", "drafts", "sentitems", "deleteditems", "archive", "junkemail");

  private final Map<String, StoredFolder> folders = new LinkedHashMap<>();
  private final Map<String, StoredMessage> messages = new LinkedHashMap<>();
  private final Map<String, byte[]> attachmentContent = new java.util.HashMap<>();
  private final String rootId;

  SimMailbox() {
    rootId = newId("F");
    folders.put(rootId, new StoredFolder(rootId, "", "Top of Information Store", "msgfolderroot"));
    for (String name : WELL_KNOWN) {
      String id = newId("F");
      folders.put(id, new StoredFolder(id, rootId, displayName(name), name));
    }
  }

  private static String displayName(String wellKnown) {
    return switch (wellKnown) {
      case "inbox" -> "Inbox";
      case "drafts" -> "Drafts";
      case "sentitems" -> "Sent Items";
      case "deleteditems" -> "Deleted Items";
      case "archive" -> "Archive";
      default -> "Junk Email";
    };
  }

  static String newId(String prefix) {
    return "AAMk" + prefix + UUID.randomUUID().toString().replace("-", "");
  }

  /** A folder by id or well-known name (case-insensitive, like Graph). */
  synchronized Optional<StoredFolder> folder(String idOrWellKnown) {
    StoredFolder byId = folders.get(idOrWellKnown);
    if (byId != null) {
      return Optional.of(byId);
    }
    return folders.values().stream()
        .filter(f -> f.wellKnownName().equalsIgnoreCase(idOrWellKnown))
        .findFirst();
  }

  synchronized List<StoredFolder> children(String parentId) {
    return folders.values().stream().filter(f -> f.parentFolderId().equals(parentId)).toList();
  }

  /** Creates a child folder; a sibling with the same name (case-insensitive) is a conflict. */
  synchronized Optional<StoredFolder> createChild(String parentId, String displayName) {
    boolean exists =
        folders.values().stream()
            .anyMatch(
                f ->
                    f.parentFolderId().equals(parentId)
                        && f.displayName().equalsIgnoreCase(displayName));
    if (exists) {
      return Optional.empty();
    }
    StoredFolder f = new StoredFolder(newId("F"), parentId, displayName, "");
    folders.put(f.id(), f);
    return Optional.of(f);
  }

  synchronized void put(StoredMessage m) {
    messages.put(m.id(), m);
  }

  synchronized Optional<StoredMessage> message(String id) {
    return Optional.ofNullable(messages.get(id));
  }

  synchronized boolean delete(String id) {
    return messages.remove(id) != null;
  }

  synchronized List<StoredMessage> messagesIn(String folderId) {
    return messages.values().stream().filter(m -> m.folderId().equals(folderId)).toList();
  }

  synchronized List<StoredFolder> folders() {
    return new ArrayList<>(folders.values());
  }

  synchronized List<StoredMessage> messages() {
    return new ArrayList<>(messages.values());
  }

  /** Adds an attachment if the message still exists. */
  synchronized boolean attach(String messageId, StoredAttachment a) {
    StoredMessage m = messages.get(messageId);
    if (m == null) {
      return false;
    }
    messages.put(messageId, m.withAttachment(a));
    return true;
  }

  /** Keeps the bytes of a small attachment, for {@code $value} and tamper tests. */
  synchronized void keepContent(String attachmentId, byte[] bytes) {
    attachmentContent.put(attachmentId, bytes.clone());
  }

  synchronized Optional<byte[]> content(String attachmentId) {
    return Optional.ofNullable(attachmentContent.get(attachmentId)).map(byte[]::clone);
  }

  /** Replaces a message's body content, as an edit through MAPI or EWS behind Graph would. */
  synchronized boolean alterBody(String messageId, String content) {
    StoredMessage m = messages.get(messageId);
    if (m == null) {
      return false;
    }
    com.fasterxml.jackson.databind.node.ObjectNode json = m.json().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.path("body")).put("content", content);
    messages.put(
        messageId,
        new StoredMessage(
            m.id(),
            m.folderId(),
            json,
            m.extendedProperties(),
            m.attachments(),
            m.isDraft(),
            m.isRead(),
            m.receivedDateTime(),
            m.sentDateTime()));
    return true;
  }

  /**
   * Flips one bit in the middle of the named attachment's kept bytes, as an edit behind the
   * archiver's back would; false when the message, the attachment or its bytes are not there.
   */
  synchronized boolean alterAttachment(String messageId, String name) {
    StoredMessage m = messages.get(messageId);
    if (m == null) {
      return false;
    }
    java.util.List<StoredAttachment> all = new ArrayList<>(m.attachments());
    for (int i = 0; i < all.size(); i++) {
      StoredAttachment a = all.get(i);
      byte[] bytes = attachmentContent.get(a.id());
      if (a.name().equals(name) && bytes != null && bytes.length > 0) {
        bytes[bytes.length / 2] ^= 0x01;
        all.set(
            i,
            new StoredAttachment(
                a.id(), a.name(), a.contentType(), a.size(), MailApi.sha256Hex(bytes), a.via()));
        messages.put(
            messageId,
            new StoredMessage(
                m.id(),
                m.folderId(),
                m.json(),
                m.extendedProperties(),
                all,
                m.isDraft(),
                m.isRead(),
                m.receivedDateTime(),
                m.sentDateTime()));
        return true;
      }
    }
    return false;
  }
}
