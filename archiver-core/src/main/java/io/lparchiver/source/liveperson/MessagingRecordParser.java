package io.lparchiver.source.liveperson;

import static io.lparchiver.source.liveperson.Fields.array;
import static io.lparchiver.source.liveperson.Fields.firstText;
import static io.lparchiver.source.liveperson.Fields.object;
import static io.lparchiver.source.liveperson.Fields.text;
import static io.lparchiver.source.liveperson.Fields.time;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Message;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Role;
import io.lparchiver.model.Survey;
import io.lparchiver.source.SourceRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one Messaging Interactions record (its raw JSON bytes) into the model. Tolerant of what
 * real payloads do (both {@code consumerParticipants} spellings, sentinel strings, {@code -1}
 * times, numbers as strings, unknown fields and message types); a record that lacks what an archive
 * needs (a {@code conversationId}, a start time) or is not JSON becomes {@link
 * SourceRecord.Unparseable} with the reason, never an exception. Stateless and thread-safe.
 */
public final class MessagingRecordParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  // Same rule as MessageKey: the id reaches Message-ID headers and file names.
  static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final String account;

  /**
   * @param account the configured account; used rather than {@code info.brandId} so every
   *     Message-ID of a run carries the same account
   */
  public MessagingRecordParser(String account) {
    this.account = Accounts.requireValid(account);
  }

  public SourceRecord parse(byte[] raw) {
    JsonNode root;
    try {
      root = JSON.readTree(raw);
    } catch (IOException e) {
      return unparseable("unknown", raw, notJson(e));
    }
    return parse(raw, root);
  }

  /** Parses a record whose tree the caller already read from {@code raw}. */
  SourceRecord parse(byte[] raw, JsonNode root) {
    if (root == null || !root.isObject()) {
      return unparseable("unknown", raw, "record is not a JSON object");
    }
    JsonNode info = root.get("info");
    if (info == null || !info.isObject()) {
      return unparseable("unknown", raw, "record has no info object");
    }
    Optional<String> id = text(info, "conversationId");
    if (id.isEmpty()) {
      return unparseable("unknown", raw, "record has no info.conversationId");
    }
    if (!SAFE_ID.matcher(id.get()).matches()) {
      return unparseable(
          "unknown", raw, "info.conversationId is not a LivePerson id: " + abbreviate(id.get()));
    }
    Optional<Instant> start = time(info, "startTimeL", "startTime");
    if (start.isEmpty()) {
      return unparseable(
          id.get(), raw, "conversation has no info.startTimeL or readable info.startTime");
    }
    try {
      Conversation conversation = new RecordReader(account, id.get(), start.get(), root).read();
      return new SourceRecord.Parsed(
          new FetchedConversation(
              conversation, raw, Fingerprint.sha256(raw), Fingerprint.of(root)));
    } catch (RuntimeException e) {
      return unparseable(id.get(), raw, "cannot read record: " + oneLine(e.toString()));
    }
  }

  private static SourceRecord unparseable(String id, byte[] raw, String reason) {
    return new SourceRecord.Unparseable(Channel.MESSAGING, id, raw, reason);
  }

  /** Why a record's bytes are not JSON, in one line, as an unparseable record's reason. */
  static String notJson(IOException e) {
    String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
    return "not valid JSON: " + oneLine(detail);
  }

  static String oneLine(String text) {
    return abbreviate(String.valueOf(text).replaceAll("\\s+", " "));
  }

  static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  /** Reads one record; one instance per record. */
  private static final class RecordReader {
    private final String account;
    private final String id;
    private final Instant start;
    private final JsonNode root;
    private final JsonNode info;
    private final Map<String, Participant> participants = new LinkedHashMap<>();

    RecordReader(String account, String id, Instant start, JsonNode root) {
      this.account = account;
      this.id = id;
      this.start = start;
      this.root = root;
      this.info = root.get("info");
    }

    Conversation read() {
      String status = text(info, "status").orElse("");
      Optional<Instant> end = time(info, "endTimeL", "endTime");
      readConsumers();
      readAgents();
      List<Message> messages = readMessages();
      return new Conversation(
          account,
          id,
          Channel.MESSAGING,
          status,
          start,
          end,
          List.copyOf(participants.values()),
          messages,
          new MessagingEvents(root, start, participants).read(status, end),
          readSurveys(),
          text(object(root, "summary"), "text"),
          readAttributes());
    }

    private void readConsumers() {
      Sdes sdes = Sdes.of(root);
      boolean first = true;
      for (JsonNode consumer : array(root, "consumerParticipants", "consumerParticipant")) {
        Optional<String> participantId = text(consumer, "participantId");
        if (participantId.isEmpty() || participants.containsKey(participantId.get())) {
          continue;
        }
        Optional<String> email = text(consumer, "email").filter(e -> e.contains("@"));
        if (first && email.isEmpty()) {
          email = sdes.email(); // the profile rarely has it; the SDE usually does
        }
        String name = consumerName(consumer).or(() -> sdes.name()).orElse("");
        participants.put(
            participantId.get(),
            new Participant(
                participantId.get(),
                Role.CONSUMER,
                name,
                Optional.empty(),
                email,
                time(consumer, "joinTimeL", "joinTime").or(() -> time(consumer, "timeL", "time")),
                Optional.empty()));
        first = false;
      }
    }

    private static Optional<String> consumerName(JsonNode consumer) {
      String full =
          (text(consumer, "firstName").orElse("") + " " + text(consumer, "lastName").orElse(""))
              .strip();
      return full.isEmpty() ? text(consumer, "consumerName") : Optional.of(full);
    }

    private void readAgents() {
      Map<String, Instant> leftAt = new LinkedHashMap<>();
      List<JsonNode> leaves = array(root, "agentParticipantsLeave");
      for (JsonNode leave : leaves) {
        Optional<String> agentId = text(leave, "agentId");
        Optional<Instant> at = time(leave, "timeL", "time");
        if (agentId.isPresent() && at.isPresent()) {
          leftAt.merge(agentId.get(), at.get(), (a, b) -> a.isAfter(b) ? a : b);
        }
      }
      List<JsonNode> agents = new ArrayList<>(array(root, "agentParticipants"));
      agents.addAll(array(root, "agentParticipantsActive"));
      agents.addAll(leaves); // an agent seen only leaving still took part
      for (JsonNode agent : agents) {
        text(agent, "agentId").ifPresent(agentId -> addAgent(agentId, agent, leftAt));
      }
    }

    private void addAgent(String agentId, JsonNode agent, Map<String, Instant> leftAt) {
      Optional<Instant> joined = time(agent, "timeL", "time");
      Participant known = participants.get(agentId);
      if (known != null) {
        if (known.role() != Role.CONSUMER && joined.isPresent() && isEarlier(joined, known)) {
          participants.put(agentId, withJoined(known, joined));
        }
        return;
      }
      participants.put(
          agentId,
          new Participant(
              agentId,
              agentRole(agent),
              firstText(agent, "agentNickname", "agentFullName", "agentLoginName").orElse(""),
              text(agent, "agentLoginName"),
              Optional.empty(),
              joined,
              Optional.ofNullable(leftAt.get(agentId))));
    }

    private static boolean isEarlier(Optional<Instant> joined, Participant known) {
      return known.joined().isEmpty() || joined.get().isBefore(known.joined().get());
    }

    private static Participant withJoined(Participant p, Optional<Instant> joined) {
      return new Participant(
          p.id(), p.role(), p.displayName(), p.loginName(), p.email(), joined, p.left());
    }

    static Role agentRole(JsonNode agent) {
      String type = text(agent, "userType").orElse("");
      String typeName = text(agent, "userTypeName").orElse("");
      if ("2".equals(type) || "Bot".equalsIgnoreCase(typeName)) {
        return Role.BOT;
      }
      if ("0".equals(type) || "System".equalsIgnoreCase(typeName)) {
        return Role.SYSTEM;
      }
      if ("MANAGER".equalsIgnoreCase(text(agent, "role").orElse(""))) {
        return Role.MANAGER;
      }
      return Role.AGENT;
    }

    private List<Message> readMessages() {
      List<Message> messages = new ArrayList<>();
      List<JsonNode> records = array(root, "messageRecords");
      for (int i = 0; i < records.size(); i++) {
        Message message = MessagingMessages.read(records.get(i), i, start, participants);
        messages.add(message);
        addSenderIfUnknown(message);
      }
      messages.sort(Comparator.comparing(Message::time).thenComparingLong(Message::seq));
      return messages;
    }

    /** A sender missing from the participant lists still appears in the email. */
    private void addSenderIfUnknown(Message message) {
      String sender = message.participantId();
      if (!sender.isBlank() && !participants.containsKey(sender)) {
        participants.put(
            sender,
            new Participant(
                sender,
                message.senderRole(),
                "",
                Optional.empty(),
                Optional.empty(),
                Optional.of(message.time()),
                Optional.empty()));
      }
    }

    private List<Survey> readSurveys() {
      List<Survey> surveys = new ArrayList<>();
      for (JsonNode survey : array(root, "conversationSurveys", "conversationSurvey")) {
        List<Survey.Answer> answers = new ArrayList<>();
        for (JsonNode qa : array(survey, "surveyData")) {
          answers.add(
              new Survey.Answer(text(qa, "question").orElse(""), text(qa, "answer").orElse("")));
        }
        surveys.add(
            new Survey(
                text(survey, "surveyType").orElse(""),
                text(survey, "surveyStatus").orElse(""),
                answers));
      }
      return surveys;
    }

    /** Display order: who the brand is, where it was routed, how it ended, where it came from. */
    private Map<String, String> readAttributes() {
      Map<String, String> attributes = new LinkedHashMap<>();
      text(info, "brandName").ifPresent(v -> attributes.put("Brand", v));
      text(info, "latestSkillName").ifPresent(v -> attributes.put("Skill", v));
      text(info, "latestAgentGroupName").ifPresent(v -> attributes.put("Agent group", v));
      closeReason(info).ifPresent(v -> attributes.put("Close reason", v));
      text(info, "source").ifPresent(v -> attributes.put("Source", v));
      text(info, "device").ifPresent(v -> attributes.put("Device", v));
      text(object(root, "campaign"), "engagementSource")
          .ifPresent(v -> attributes.put("Campaign engagement source", v));
      text(object(root, "monitoring"), "country")
          .ifPresent(v -> attributes.put("Monitoring country", v));
      return attributes;
    }
  }

  /** "AGENT (MANUAL_CLOSE)", or whichever half is present. */
  static Optional<String> closeReason(JsonNode node) {
    Optional<String> reason = text(node, "closeReason");
    Optional<String> description = text(node, "closeReasonDescription");
    if (reason.isPresent() && description.isPresent() && !reason.equals(description)) {
      return Optional.of(reason.get() + " (" + description.get() + ")");
    }
    return reason.or(() -> description);
  }

  /** Consumer identity from the personal-info SDE, where LivePerson usually keeps the email. */
  record Sdes(Optional<String> email, Optional<String> name) {
    static Sdes of(JsonNode root) {
      Optional<String> email = Optional.empty();
      Optional<String> name = Optional.empty();
      for (JsonNode event : array(object(root, "sdes"), "events")) {
        JsonNode personal = object(object(event, "personalInfo"), "personalInfo");
        for (JsonNode contact : array(personal, "contacts")) {
          Optional<String> found =
              text(object(contact, "personalContact"), "email").filter(e -> e.contains("@"));
          email = found.isPresent() ? found : email; // the latest event wins
        }
        String full =
            (text(personal, "name").orElse("") + " " + text(personal, "surname").orElse(""))
                .strip();
        name = full.isEmpty() ? name : Optional.of(full);
      }
      return new Sdes(email, name);
    }
  }
}
