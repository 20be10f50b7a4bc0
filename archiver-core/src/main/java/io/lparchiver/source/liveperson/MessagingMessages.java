package io.lparchiver.source.liveperson;

import static io.lparchiver.source.liveperson.Fields.jsonString;
import static io.lparchiver.source.liveperson.Fields.number;
import static io.lparchiver.source.liveperson.Fields.object;
import static io.lparchiver.source.liveperson.Fields.text;
import static io.lparchiver.source.liveperson.Fields.time;

import com.fasterxml.jackson.databind.JsonNode;
import io.lparchiver.model.FileReference;
import io.lparchiver.model.Message;
import io.lparchiver.model.MessageType;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Role;
import io.lparchiver.model.SecureForm;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code messageRecords[]} element to a {@link Message}. The containers of file, link and form
 * data are not named in LivePerson's docs, so they are found by their inner keys ({@code
 * relativePath}, {@code externalFileLink}, {@code formId}) wherever they sit in {@code
 * messageData}.
 */
final class MessagingMessages {

  private MessagingMessages() {}

  static Message read(
      JsonNode record, int index, Instant fallbackTime, Map<String, Participant> participants) {
    JsonNode data = object(record, "messageData");
    String participantId = text(record, "participantId").orElse("");
    return new Message(
        text(record, "messageId").orElse(""),
        number(record, "seq").orElse(index),
        text(record, "dialogId").orElse(""),
        time(record, "timeL", "time").orElse(fallbackTime),
        participantId,
        senderRole(text(record, "sentBy"), participantId, participants),
        type(text(record, "type").orElse("")),
        messageText(data),
        file(data),
        form(data),
        jsonString(object(data, "richContent"), "content"),
        jsonString(object(data, "quickReplies"), "content"),
        false, // MI has no agent-only flag in any documented payload
        data.isMissingNode() ? "" : CompactJson.of(data));
  }

  static MessageType type(String type) {
    try {
      return type.isEmpty()
          ? MessageType.UNKNOWN
          : MessageType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return MessageType.UNKNOWN;
    }
  }

  /** {@code sentBy} first ("Consumer"/"Agent", any case); the participant lists decide the rest. */
  static Role senderRole(
      Optional<String> sentBy, String participantId, Map<String, Participant> participants) {
    Participant known = participants.get(participantId);
    String by = sentBy.orElse("").toLowerCase(Locale.ROOT);
    if (by.equals("consumer")) {
      return Role.CONSUMER;
    }
    if (known != null && (by.isEmpty() || known.role() != Role.CONSUMER)) {
      return known.role();
    }
    if (by.equals("agent")) {
      return Role.AGENT;
    }
    if (by.equals("bot")) {
      return Role.BOT;
    }
    return Role.SYSTEM;
  }

  private static String messageText(JsonNode data) {
    return text(object(data, "msg"), "text")
        .or(() -> text(data, "html"))
        .or(() -> text(object(data, "html"), "text"))
        .or(() -> text(data, "text"))
        .orElse("");
  }

  private static Optional<FileReference> file(JsonNode data) {
    return holderOf(data, "relativePath")
        .map(
            f ->
                new FileReference(
                    text(f, "relativePath"),
                    Optional.empty(),
                    text(f, "fileType").orElse(""),
                    text(f, "caption").orElse("")))
        .or(
            () ->
                holderOf(data, "externalFileLink")
                    .map(
                        l ->
                            new FileReference(
                                Optional.empty(),
                                text(l, "externalFileLink"),
                                text(l, "fileType").orElse(""),
                                text(l, "caption").orElse(""))));
  }

  private static Optional<SecureForm> form(JsonNode data) {
    return holderOf(data, "formId")
        .or(() -> holderOf(data, "invitationId"))
        .or(() -> holderOf(data, "submissionId"))
        .map(
            f ->
                new SecureForm(
                    text(f, "formId").orElse(""),
                    text(f, "formName").orElse(""),
                    text(f, "invitationId").orElse(""),
                    text(f, "submissionId").orElse("")));
  }

  /** {@code data} itself or its first object child that has a usable {@code key}. */
  private static Optional<JsonNode> holderOf(JsonNode data, String key) {
    if (text(data, key).isPresent()) {
      return Optional.of(data);
    }
    for (JsonNode child : data) { // a loop, not a stream: five lookups per message
      if (child.isObject() && text(child, key).isPresent()) {
        return Optional.of(child);
      }
    }
    return Optional.empty();
  }
}
