package io.lparchiver.sim.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A message as the simulator keeps it: the JSON the client posted (attachments removed), what the
 * server derived from it, its extended properties and its attachments.
 *
 * @param id message id
 * @param folderId parent folder id
 * @param json the created message JSON as the client sent it, without {@code attachments}
 * @param extendedProperties property id to value, as sent
 * @param attachments attachments in the order they were added
 * @param isDraft true unless {@code Integer 0x0E07} was sent without the unsent bit 0x8
 * @param isRead from {@code isRead} or bit 0x1 of {@code 0x0E07}
 * @param receivedDateTime from {@code SystemTime 0x0E06}, else creation time
 * @param sentDateTime from {@code SystemTime 0x0039}, else creation time
 */
public record StoredMessage(
    String id,
    String folderId,
    ObjectNode json,
    Map<String, String> extendedProperties,
    List<StoredAttachment> attachments,
    boolean isDraft,
    boolean isRead,
    Instant receivedDateTime,
    Instant sentDateTime) {

  public StoredMessage {
    extendedProperties = Map.copyOf(extendedProperties);
    attachments = List.copyOf(attachments);
  }

  public String subject() {
    return json.path("subject").asText("");
  }

  public String bodyContentType() {
    return json.path("body").path("contentType").asText("text");
  }

  public String bodyContent() {
    return json.path("body").path("content").asText("");
  }

  public Optional<String> property(String id) {
    return Optional.ofNullable(extendedProperties.get(id));
  }

  StoredMessage withAttachment(StoredAttachment a) {
    List<StoredAttachment> all = new java.util.ArrayList<>(attachments);
    all.add(a);
    return new StoredMessage(
        id,
        folderId,
        json,
        extendedProperties,
        all,
        isDraft,
        isRead,
        receivedDateTime,
        sentDateTime);
  }
}
