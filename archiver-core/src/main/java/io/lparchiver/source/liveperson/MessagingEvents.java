package io.lparchiver.source.liveperson;

import static io.lparchiver.source.liveperson.Fields.array;
import static io.lparchiver.source.liveperson.Fields.firstText;
import static io.lparchiver.source.liveperson.Fields.text;
import static io.lparchiver.source.liveperson.Fields.time;

import com.fasterxml.jackson.databind.JsonNode;
import io.lparchiver.model.ConversationEvent;
import io.lparchiver.model.ConversationEvent.Kind;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The system lines of a transcript: agents joining and leaving, transfers, skill changes, dialogs
 * opening and closing (MAIN and POST_SURVEY) and the close of the conversation, in time order.
 * Descriptions are plain untrusted text; the renderer escapes them.
 */
final class MessagingEvents {

  private final JsonNode root;
  private final Instant start;
  private final Map<String, Participant> participants;
  private final List<ConversationEvent> events = new ArrayList<>();

  MessagingEvents(JsonNode root, Instant start, Map<String, Participant> participants) {
    this.root = root;
    this.start = start;
    this.participants = participants;
  }

  List<ConversationEvent> read(String status, Optional<Instant> end) {
    agents("agentParticipants", Kind.PARTICIPANT_JOINED, "joined");
    agents("agentParticipantsLeave", Kind.PARTICIPANT_LEFT, "left");
    transfers();
    skillChanges();
    dialogs();
    if ("CLOSE".equals(status) && end.isPresent()) {
      String reason = MessagingRecordParser.closeReason(root.get("info")).orElse("not given");
      add(
          end.get(),
          Kind.CONVERSATION_CLOSED,
          "Conversation closed (close reason: " + reason + ")",
          "");
    }
    events.sort(Comparator.comparing(ConversationEvent::time)); // stable: ties keep source order
    return events;
  }

  private void agents(String list, Kind kind, String verb) {
    for (JsonNode agent : array(root, list)) {
      Optional<Instant> at = time(agent, "timeL", "time");
      Optional<String> agentId = text(agent, "agentId");
      if (at.isEmpty() || agentId.isEmpty()) {
        continue;
      }
      String who = describe(agentId.get());
      String as = text(agent, "permission").map(p -> " as " + p).orElse("");
      add(
          at.get(),
          kind,
          who + " " + verb + (kind == Kind.PARTICIPANT_JOINED ? as : ""),
          dialog(agent));
    }
  }

  private void transfers() {
    for (JsonNode transfer : array(root, "transfers")) {
      StringJoiner text = new StringJoiner("; ", "Transferred", "");
      text.setEmptyValue("Transferred");
      Optional<String> from = skill(transfer, "sourceSkillName", "sourceSkillId");
      Optional<String> to = skill(transfer, "targetSkillName", "targetSkillId");
      if (from.isPresent() || to.isPresent()) {
        text.add(" skill " + from.orElse("none") + " → " + to.orElse("none"));
      }
      agentField(transfer, "sourceAgent").ifPresent(a -> text.add(" from agent " + a));
      agentField(transfer, "assignedAgent").ifPresent(a -> text.add(" to agent " + a));
      text(transfer, "by").ifPresent(by -> text.add(" by " + describe(by)));
      text(transfer, "reason").ifPresent(r -> text.add(" reason: " + r));
      add(timeOf(transfer), Kind.TRANSFER, text.toString(), dialog(transfer));
    }
  }

  /** The shape of skillChanges is undocumented: read the likely keys, else show the JSON. */
  private void skillChanges() {
    for (JsonNode change : array(root, "skillChanges", "skillChange")) {
      Optional<String> from =
          firstText(change, "fromSkillName", "sourceSkillName", "fromSkillId", "sourceSkillId");
      Optional<String> to =
          firstText(change, "toSkillName", "targetSkillName", "skillName", "toSkillId", "skillId");
      String text =
          to.isPresent()
              ? "Skill changed from " + from.orElse("none") + " to " + to.get()
              : "Skill changed: " + change;
      add(timeOf(change), Kind.SKILL_CHANGE, text, dialog(change));
    }
  }

  private void dialogs() {
    for (JsonNode dialog : array(root, "dialogs")) {
      String type = text(dialog, "dialogType").orElse("dialog");
      String channel = text(dialog, "dialogChannelType").map(c -> " (" + c + ")").orElse("");
      String id = text(dialog, "dialogId").orElse("");
      Optional<String> skill = skill(dialog, "skillName", "skillId");
      time(dialog, "startTimeL", "startTime")
          .ifPresent(
              at ->
                  add(
                      at,
                      Kind.DIALOG_STARTED,
                      type
                          + " dialog started"
                          + channel
                          + skill.map(s -> ", skill " + s).orElse(""),
                      id));
      Optional<Instant> end = time(dialog, "endTimeL", "endTime");
      if (end.isPresent()) {
        String reason =
            MessagingRecordParser.closeReason(dialog)
                .map(r -> " (close reason: " + r + ")")
                .orElse("");
        add(end.get(), Kind.DIALOG_CLOSED, type + " dialog closed" + reason, id);
      }
    }
  }

  /** A skill as "Billing (12)", or just one half; -1 is LivePerson's "no skill". */
  private static Optional<String> skill(JsonNode node, String nameField, String idField) {
    Optional<String> name = text(node, nameField);
    Optional<String> id = text(node, idField).filter(v -> !"-1".equals(v));
    if (name.isPresent() && id.isPresent()) {
      return Optional.of(name.get() + " (" + id.get() + ")");
    }
    return name.or(() -> id);
  }

  /** "Ann (2755634412)" from the transfer's own name fields, else the participant list. */
  private Optional<String> agentField(JsonNode transfer, String prefix) {
    Optional<String> id = text(transfer, prefix + "Id").filter(v -> !"-1".equals(v));
    Optional<String> name =
        firstText(transfer, prefix + "Nickname", prefix + "FullName", prefix + "LoginName");
    if (name.isPresent()) {
      return Optional.of(name.get() + id.map(i -> " (" + i + ")").orElse(""));
    }
    return id.map(this::describe);
  }

  private String describe(String participantId) {
    Participant p = participants.get(participantId);
    if (p == null) {
      return participantId;
    }
    String role = p.role().name().toLowerCase(Locale.ROOT);
    String name =
        p.displayName().isEmpty() ? participantId : p.displayName() + " (" + participantId + ")";
    return p.role() == Role.CONSUMER ? name : name + " [" + role + "]";
  }

  private Instant timeOf(JsonNode node) {
    return time(node, "timeL", "time").orElse(start);
  }

  private static String dialog(JsonNode node) {
    return text(node, "dialogId").orElse("");
  }

  private void add(Instant at, Kind kind, String description, String dialogId) {
    events.add(new ConversationEvent(at, kind, description, dialogId));
  }
}
