package io.lparchiver.source.liveperson;

import static io.lparchiver.source.liveperson.Fields.array;
import static io.lparchiver.source.liveperson.Fields.firstText;
import static io.lparchiver.source.liveperson.Fields.number;
import static io.lparchiver.source.liveperson.Fields.object;
import static io.lparchiver.source.liveperson.Fields.text;
import static io.lparchiver.source.liveperson.Fields.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.ConversationEvent;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Message;
import io.lparchiver.model.MessageType;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Role;
import io.lparchiver.model.Survey;
import io.lparchiver.source.SourceRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns one Engagement History record (a legacy chat, reference section 4) into the model:
 *
 * <ul>
 *   <li>the visitor is the consumer ({@code info.visitorId}), named by {@code visitorName} and
 *       reachable by the pre-chat survey's email answer or the personal-info SDE;
 *   <li>agents come from {@code info.agentId} (the last agent) and every agent line's {@code
 *       agentId} (earlier agents of a transferred chat), named by the line's {@code by};
 *   <li>visitor and agent lines are messages ({@code plain}, {@code html}, {@code url}, {@code
 *       rich-content} with the {@code json} card kept as compact JSON); {@code ONLY_TO_REP} lines
 *       are agent-only; {@code system} lines (joins, transfers) are shown as events;
 *   <li>pre-chat, post-chat and operator surveys become surveys (question = {@code displayName});
 *   <li>EH has no status: an ended chat is {@code CLOSE}; its {@code duration} is in seconds.
 * </ul>
 *
 * A record without a usable {@code engagementId} or start time, or that is not JSON, becomes {@link
 * SourceRecord.Unparseable}, never an exception. Stateless and thread-safe.
 */
public final class ChatRecordParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String account;

  public ChatRecordParser(String account) {
    this.account = Accounts.requireValid(account);
  }

  public SourceRecord parse(byte[] raw) {
    JsonNode root;
    try {
      root = JSON.readTree(raw);
    } catch (IOException e) {
      return unparseable("unknown", raw, MessagingRecordParser.notJson(e));
    }
    return parse(raw, root);
  }

  /** Parses a record whose tree the caller already read from {@code raw}. */
  SourceRecord parse(byte[] raw, JsonNode root) {
    JsonNode info = root == null ? null : root.get("info");
    if (info == null || !info.isObject()) {
      return unparseable("unknown", raw, "record is not a JSON object with an info object");
    }
    Optional<String> id = text(info, "engagementId");
    if (id.isEmpty()) {
      return unparseable("unknown", raw, "record has no info.engagementId");
    }
    if (!MessagingRecordParser.SAFE_ID.matcher(id.get()).matches()) {
      return unparseable(
          "unknown",
          raw,
          "info.engagementId is not a LivePerson id: "
              + MessagingRecordParser.abbreviate(id.get()));
    }
    Optional<Instant> start = time(info, "startTimeL", "startTime");
    if (start.isEmpty()) {
      return unparseable(id.get(), raw, "chat has no info.startTimeL or readable info.startTime");
    }
    try {
      Conversation chat = new ChatReader(account, id.get(), start.get(), root).read();
      return new SourceRecord.Parsed(
          new FetchedConversation(chat, raw, Fingerprint.sha256(raw), Fingerprint.of(root)));
    } catch (RuntimeException e) {
      return unparseable(
          id.get(), raw, "cannot read record: " + MessagingRecordParser.oneLine(e.toString()));
    }
  }

  private static SourceRecord unparseable(String id, byte[] raw, String reason) {
    return new SourceRecord.Unparseable(Channel.CHAT, id, raw, reason);
  }

  /** Reads one record; one instance per record. */
  private static final class ChatReader {
    private static final String SYSTEM_ID = "system";

    private final String account;
    private final String id;
    private final Instant start;
    private final JsonNode root;
    private final JsonNode info;
    private final String visitorId;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final List<ConversationEvent> events = new ArrayList<>();

    ChatReader(String account, String id, Instant start, JsonNode root) {
      this.account = account;
      this.id = id;
      this.start = start;
      this.root = root;
      this.info = root.get("info");
      this.visitorId = text(info, "visitorId").orElse("visitor-" + id);
    }

    Conversation read() {
      Optional<Instant> end = end();
      addVisitor();
      List<Message> messages = readLines();
      addLastAgent();
      end.ifPresent(
          at ->
              events.add(
                  new ConversationEvent(
                      at,
                      ConversationEvent.Kind.CONVERSATION_CLOSED,
                      "Chat ended (end reason: " + reason("endReasonDesc", "endReason") + ")",
                      "")));
      boolean ongoing = info.has("ended") && !Fields.flag(info, "ended");
      return new Conversation(
          account,
          id,
          Channel.CHAT,
          ongoing ? "OPEN" : "CLOSE",
          start,
          end,
          List.copyOf(participants.values()),
          messages,
          events,
          surveys(),
          Optional.empty(),
          attributes());
    }

    /** {@code endTimeL}, else start plus {@code duration} (seconds in EH, unlike MI). */
    private Optional<Instant> end() {
      Optional<Instant> end = time(info, "endTimeL", "endTime");
      OptionalLong seconds = number(info, "duration");
      if (end.isEmpty() && seconds.isPresent() && seconds.getAsLong() >= 0) {
        return Optional.of(start.plusSeconds(seconds.getAsLong()));
      }
      return end;
    }

    private void addVisitor() {
      MessagingRecordParser.Sdes sdes = MessagingRecordParser.Sdes.of(root);
      Optional<String> name =
          text(info, "visitorName").or(() -> preChatAnswer("name")).or(sdes::name);
      Optional<String> email = preChatAnswer("mail").filter(e -> e.contains("@")).or(sdes::email);
      participants.put(
          visitorId,
          new Participant(
              visitorId,
              Role.CONSUMER,
              name.orElse(""),
              Optional.empty(),
              email,
              time(info, "chatRequestedTimeL", "chatRequestedTime").or(() -> Optional.of(start)),
              Optional.empty()));
    }

    /** The first pre-chat answer whose question mentions {@code word} ("Email", "Your name"). */
    private Optional<String> preChatAnswer(String word) {
      for (JsonNode answer : array(object(root, "surveys"), "preChat")) {
        String question = text(answer, "displayName").orElse("").toLowerCase(Locale.ROOT);
        Optional<String> value = text(answer, "value");
        if (question.contains(word) && value.isPresent()) {
          return value;
        }
      }
      return Optional.empty();
    }

    /** The agent who ended the chat; earlier agents are known from their lines. */
    private void addLastAgent() {
      text(info, "agentId")
          .filter(agentId -> !"-1".equals(agentId) && !"0".equals(agentId))
          .ifPresent(
              agentId -> {
                Participant known = participants.get(agentId);
                participants.put(
                    agentId,
                    new Participant(
                        agentId,
                        Role.AGENT,
                        firstText(info, "agentNickName", "agentNickname", "agentFullName")
                            .or(() -> Optional.ofNullable(known).map(Participant::displayName))
                            .orElse(""),
                        text(info, "agentLoginName"),
                        Optional.empty(),
                        known == null ? Optional.empty() : known.joined(),
                        Optional.empty()));
              });
    }

    private List<Message> readLines() {
      List<Message> messages = new ArrayList<>();
      List<JsonNode> lines = array(object(root, "transcript"), "lines");
      for (int i = 0; i < lines.size(); i++) {
        JsonNode line = lines.get(i);
        String source = text(line, "source").orElse("").toLowerCase(Locale.ROOT);
        Instant at = time(line, "timeL", "time").orElse(start);
        boolean agentOnly = "ONLY_TO_REP".equalsIgnoreCase(text(line, "subType").orElse(""));
        if ("system".equals(source)) {
          String text = text(line, "text").orElse("");
          events.add(
              new ConversationEvent(
                  at, ConversationEvent.Kind.OTHER, agentOnly ? "[agent-only] " + text : text, ""));
          continue;
        }
        String sender = sender(source, line, at);
        messages.add(
            new Message(
                "",
                number(line, "lineSeq").orElse(i),
                "",
                at,
                sender,
                participants.get(sender).role(),
                type(text(line, "textType").orElse("")),
                text(line, "text").orElse(""),
                Optional.empty(),
                Optional.empty(),
                Fields.jsonString(line, "json"),
                Optional.empty(),
                agentOnly,
                line.toString()));
      }
      return messages;
    }

    /** The participant id of a line's sender, added to the participants when first seen. */
    private String sender(String source, JsonNode line, Instant at) {
      if ("visitor".equals(source)) {
        return visitorId;
      }
      if (!"agent".equals(source)) {
        participants.putIfAbsent(SYSTEM_ID, participant(SYSTEM_ID, Role.SYSTEM, "system", at));
        return SYSTEM_ID;
      }
      String agentId =
          text(line, "agentId")
              .filter(a -> !"0".equals(a) && !"-1".equals(a))
              .or(() -> text(info, "agentId"))
              .orElse("agent");
      String by = text(line, "by").orElse("");
      participants.putIfAbsent(agentId, participant(agentId, Role.AGENT, by, at));
      return agentId;
    }

    private static Participant participant(String id, Role role, String name, Instant joined) {
      return new Participant(
          id,
          role,
          name,
          Optional.empty(),
          Optional.empty(),
          Optional.of(joined),
          Optional.empty());
    }

    static MessageType type(String textType) {
      return switch (textType.toLowerCase(Locale.ROOT)) {
        case "plain" -> MessageType.TEXT_PLAIN;
        case "html" -> MessageType.TEXT_HTML;
        case "url" -> MessageType.LINK;
        case "rich-content" -> MessageType.RICH_CONTENT;
        default -> MessageType.UNKNOWN;
      };
    }

    private List<Survey> surveys() {
      JsonNode surveys = object(root, "surveys");
      List<Survey> out = new ArrayList<>();
      addSurvey(out, surveys, "preChat", "Pre-chat survey");
      addSurvey(out, surveys, "postChat", "Post-chat survey");
      addSurvey(out, surveys, "operator", "Operator survey");
      return out;
    }

    private static void addSurvey(List<Survey> out, JsonNode surveys, String key, String type) {
      List<Survey.Answer> answers = new ArrayList<>();
      for (JsonNode a : array(surveys, key)) {
        String question = firstText(a, "displayName", "name").orElse("");
        Optional<String> value = text(a, "value");
        if (value.isEmpty()) {
          List<String> values = new ArrayList<>();
          a.path("values").forEach(v -> values.add(v.asText()));
          value = values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
        }
        answers.add(new Survey.Answer(question, value.orElse("")));
      }
      if (!answers.isEmpty()) {
        out.add(new Survey(type, "", answers));
      }
    }

    /** "Rep stopped chat (201)", or whichever half is present. */
    private String reason(String descriptionField, String codeField) {
      Optional<String> description = text(info, descriptionField);
      Optional<String> code = text(info, codeField);
      if (description.isPresent() && code.isPresent()) {
        return description.get() + " (" + code.get() + ")";
      }
      return description.or(() -> code).orElse("not given");
    }

    /** Display order: routing, how it started and ended, where the visitor came from. */
    private Map<String, String> attributes() {
      Map<String, String> a = new LinkedHashMap<>();
      skill().ifPresent(v -> a.put("Skill", v));
      text(info, "agentGroupName").ifPresent(v -> a.put("Agent group", v));
      a.put("Start reason", reason("startReasonDesc", "startReason"));
      a.put("End reason", reason("endReasonDesc", "endReason"));
      channel().ifPresent(v -> a.put("Chat channel", v));
      if (info.has("isInteractive")) {
        a.put("Interactive", Fields.flag(info, "isInteractive") ? "yes" : "no");
      }
      text(info, "chatStartUrl").ifPresent(v -> a.put("Chat start page", v));
      JsonNode visitor = object(root, "visitorInfo");
      text(visitor, "country").ifPresent(v -> a.put("Visitor country", v));
      text(visitor, "device").ifPresent(v -> a.put("Visitor device", v));
      text(visitor, "browser").ifPresent(v -> a.put("Visitor browser", v));
      text(visitor, "operatingSystem").ifPresent(v -> a.put("Visitor operating system", v));
      JsonNode campaign = object(root, "campaign");
      text(campaign, "campaignName").ifPresent(v -> a.put("Campaign", v));
      text(campaign, "campaignEngagementName").ifPresent(v -> a.put("Engagement", v));
      return a;
    }

    private Optional<String> skill() {
      Optional<String> name = text(info, "skillName");
      Optional<String> skillId = text(info, "skillId").filter(v -> !"-1".equals(v));
      return name.map(n -> skillId.map(i -> n + " (" + i + ")").orElse(n)).or(() -> skillId);
    }

    /** EH {@code channel}: -1 unknown, 1 web, 2 voice. */
    private Optional<String> channel() {
      return text(info, "channel")
          .map(
              c ->
                  switch (c) {
                    case "1" -> "web";
                    case "2" -> "voice";
                    case "-1" -> "unknown";
                    default -> c;
                  });
    }
  }
}
