package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ChatRecordParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ChatRecordParser parser = new ChatRecordParser("12345678");

  private FetchedConversation parsed(byte[] raw) {
    SourceRecord record = parser.parse(raw);
    assertThat(record).isInstanceOf(SourceRecord.Parsed.class);
    return ((SourceRecord.Parsed) record).fetched();
  }

  private Conversation chat() {
    return parsed(Fixtures.bytes("chat-record.json")).conversation();
  }

  private static Message line(Conversation c, long seq) {
    return c.messages().stream().filter(m -> m.seq() == seq).findFirst().orElseThrow();
  }

  private static byte[] changed(Consumer<ObjectNode> change) throws Exception {
    ObjectNode record = (ObjectNode) JSON.readTree(Fixtures.bytes("chat-record.json"));
    change.accept(record);
    return JSON.writeValueAsBytes(record);
  }

  @Test
  void readsTheChatHeaderWithEndAndStatusFromAnEndedChat() {
    Conversation c = chat();

    assertThat(c.channel()).isEqualTo(Channel.CHAT);
    assertThat(c.id()).isEqualTo("123456784294967901");
    assertThat(c.account()).isEqualTo("12345678");
    assertThat(c.isClosed()).isTrue();
    assertThat(c.start()).isEqualTo(Instant.ofEpochMilli(1485969119916L));
    assertThat(c.end()).contains(Instant.ofEpochMilli(1485970007735L));
  }

  @Test
  void keepsTheRawBytesExactly() {
    byte[] raw = Fixtures.bytes("chat-record.json");
    FetchedConversation fetched = parsed(raw);

    assertThat(fetched.rawRecord()).isEqualTo(raw);
    assertThat(fetched.sourceSha256()).isEqualTo(Fingerprint.sha256(raw));
  }

  @Test
  void visitorIsTheConsumerWithThePreChatEmailAndEveryAgentTakesPart() {
    Conversation c = chat();

    assertThat(c.participants())
        .extracting(Participant::id, Participant::role, Participant::displayName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Uw1aBcD", Role.CONSUMER, "Jo"),
            org.assertj.core.groups.Tuple.tuple("213185812", Role.AGENT, "Ann"),
            org.assertj.core.groups.Tuple.tuple("213185813", Role.AGENT, "Bob"));
    assertThat(c.participant("Uw1aBcD").orElseThrow().email()).contains("jo@x.com");
    assertThat(c.participant("213185813").orElseThrow().loginName()).contains("bob@brand.com");
  }

  @Test
  void everyTextTypeBecomesItsMessageType() {
    Conversation c = chat();

    assertThat(line(c, 2).type()).isEqualTo(MessageType.TEXT_PLAIN);
    assertThat(line(c, 2).text()).isEqualTo("Hi, I was charged twice.\nOrder 77.");
    assertThat(line(c, 2).senderRole()).isEqualTo(Role.CONSUMER);
    assertThat(line(c, 3).type()).isEqualTo(MessageType.TEXT_HTML);
    assertThat(line(c, 3).participantId()).isEqualTo("213185812");
    assertThat(line(c, 6).type()).isEqualTo(MessageType.LINK);
    assertThat(line(c, 6).text()).isEqualTo("https://brand.example/refunds");
    assertThat(line(c, 7).type()).isEqualTo(MessageType.RICH_CONTENT);
    assertThat(line(c, 7).richContentJson())
        .contains(
            "{\"type\":\"vertical\",\"elements\":[{\"type\":\"text\",\"text\":\"Refund 42.00\"},"
                + "{\"type\":\"button\",\"title\":\"Open\",\"click\":{\"actions\":"
                + "[{\"type\":\"link\",\"uri\":\"https://brand.example/r\"}]}}]}");
    assertThat(line(c, 8).type()).isEqualTo(MessageType.UNKNOWN);
    assertThat(line(c, 8).rawMessageData()).contains("hologram");
  }

  @Test
  void onlyToRepLinesAreAgentOnlyAndKept() {
    Conversation c = chat();

    assertThat(line(c, 4).agentOnly()).isTrue();
    assertThat(line(c, 4).text()).isEqualTo("Customer verified, passing to Bob");
    assertThat(c.messages()).filteredOn(Message::agentOnly).hasSize(1);
  }

  @Test
  void systemLinesAreEventsAndTheEndIsOne() {
    Conversation c = chat();

    assertThat(c.messages()).hasSize(7);
    assertThat(c.events())
        .extracting(ConversationEvent::kind, ConversationEvent::description)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ConversationEvent.Kind.OTHER, "You are now chatting with Ann."),
            org.assertj.core.groups.Tuple.tuple(
                ConversationEvent.Kind.OTHER, "Ann transferred the chat to Bob."),
            org.assertj.core.groups.Tuple.tuple(
                ConversationEvent.Kind.CONVERSATION_CLOSED,
                "Chat ended (end reason: Rep stopped chat (201))"));
  }

  @Test
  void surveysKeepQuestionAndAnswerAndSentinelValuesFallBackToValues() {
    Conversation c = chat();

    assertThat(c.surveys())
        .extracting(Survey::type)
        .containsExactly("Pre-chat survey", "Post-chat survey", "Operator survey");
    assertThat(c.surveys().get(0).answers())
        .containsExactly(new Survey.Answer("Email", "jo@x.com"));
    assertThat(c.surveys().get(1).answers())
        .containsExactly(new Survey.Answer("How satisfied were you?", "Very, satisfied"));
    assertThat(c.surveys().get(2).answers())
        .containsExactly(new Survey.Answer("Reason for contact", "Duplicate charge"));
  }

  @Test
  void attributesShowRoutingReasonsAndVisitorInfoWithoutSentinels() {
    Conversation c = chat();

    assertThat(c.attributes())
        .containsEntry("Skill", "Billing (12)")
        .containsEntry("Start reason", "Visitor request (0)")
        .containsEntry("End reason", "Rep stopped chat (201)")
        .containsEntry("Chat channel", "web")
        .containsEntry("Chat start page", "https://brand.example/help?x=1&y=2")
        .containsEntry("Visitor device", "DESKTOP")
        .containsEntry("Visitor browser", "Chrome 49")
        .containsEntry("Visitor operating system", "MAC_OSX")
        .containsEntry("Campaign", "Customer service")
        .doesNotContainKey("Agent group") // "undefined"
        .doesNotContainKey("Visitor country"); // ""
  }

  @Test
  void durationInSecondsGivesTheEndWhenEndTimeIsMissing() throws Exception {
    byte[] raw = changed(r -> ((ObjectNode) r.get("info")).put("endTimeL", -1).remove("endTime"));

    assertThat(parsed(raw).conversation().end())
        .contains(Instant.ofEpochMilli(1485969119916L).plusSeconds(887));
  }

  @Test
  void visitorEmailFromTheSdeWhenThereIsNoPreChatSurvey() throws Exception {
    byte[] raw =
        changed(
            r -> {
              ((ObjectNode) r.get("surveys")).putArray("preChat");
              ((ObjectNode) r.get("info")).put("visitorName", "undefined");
              ObjectNode pi =
                  ((ObjectNode) r.get("sdes"))
                      .withArray("events")
                      .addObject()
                      .putObject("personalInfo")
                      .putObject("personalInfo");
              pi.put("name", "Jo").put("surname", "Doe");
              pi.putArray("contacts")
                  .addObject()
                  .putObject("personalContact")
                  .put("email", "jo.doe@customer.example");
            });

    Participant visitor = parsed(raw).conversation().participant("Uw1aBcD").orElseThrow();
    assertThat(visitor.email()).contains("jo.doe@customer.example");
    assertThat(visitor.displayName()).isEqualTo("Jo Doe");
  }

  @Test
  void missingOrUnsafeEngagementIdAndNonJsonAreUnparseable() throws Exception {
    byte[] noId = changed(r -> ((ObjectNode) r.get("info")).remove("engagementId"));
    byte[] unsafe =
        changed(r -> ((ObjectNode) r.get("info")).put("engagementId", "1\r\nBcc: x@evil"));
    byte[] noStart =
        changed(r -> ((ObjectNode) r.get("info")).put("startTimeL", -1).remove("startTime"));

    assertThat(parser.parse(noId))
        .isInstanceOfSatisfying(
            SourceRecord.Unparseable.class,
            u -> {
              assertThat(u.channel()).isEqualTo(Channel.CHAT);
              assertThat(u.reason()).contains("engagementId");
            });
    assertThat(parser.parse(unsafe)).isInstanceOf(SourceRecord.Unparseable.class);
    assertThat(parser.parse(noStart))
        .isInstanceOfSatisfying(
            SourceRecord.Unparseable.class,
            u -> assertThat(u.conversationId()).isEqualTo("123456784294967901"));
    assertThat(parser.parse("{\"info\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SourceRecord.Unparseable.class);
  }

  @Test
  void enrichmentFlagAloneDoesNotChangeTheFingerprint() throws Exception {
    String before = parsed(Fixtures.bytes("chat-record.json")).fingerprint();
    byte[] notEnriched = changed(r -> ((ObjectNode) r.get("info")).put("chatDataEnriched", false));
    byte[] newLine =
        changed(
            r ->
                ((ObjectNode) r.get("transcript"))
                    .withArray("lines")
                    .addObject()
                    .put("text", "late")
                    .put("source", "visitor"));

    assertThat(parsed(notEnriched).fingerprint()).isEqualTo(before);
    assertThat(parsed(newLine).fingerprint()).isNotEqualTo(before);
  }
}
