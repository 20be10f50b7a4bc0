package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.ConversationEvent.Kind;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Message;
import io.lparchiver.model.MessageType;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Role;
import io.lparchiver.source.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessagingRecordParserTest {

  private final MessagingRecordParser parser = new MessagingRecordParser("12345678");

  private FetchedConversation parsed(byte[] raw) {
    SourceRecord record = parser.parse(raw);
    assertThat(record).isInstanceOf(SourceRecord.Parsed.class);
    return ((SourceRecord.Parsed) record).fetched();
  }

  private Conversation full() {
    return parsed(Fixtures.bytes("full-record.json")).conversation();
  }

  private static Message message(Conversation c, String id) {
    return c.messages().stream().filter(m -> m.messageId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void readsTheConversationHeader() {
    Conversation c = full();

    assertThat(c.account()).isEqualTo("12345678");
    assertThat(c.id()).isEqualTo("c0ffee00-0000-4000-8000-000000000001");
    assertThat(c.channel()).isEqualTo(Channel.MESSAGING);
    assertThat(c.isClosed()).isTrue();
    assertThat(c.start()).isEqualTo(Instant.ofEpochMilli(1714557600123L)); // number as string
    assertThat(c.end()).contains(Instant.ofEpochMilli(1714558200456L));
    assertThat(c.summary()).contains("refund issued");
  }

  @Test
  void keepsTheRawBytesExactlyAndHashesThem() {
    byte[] raw = Fixtures.bytes("full-record.json");
    FetchedConversation fetched = parsed(raw);

    assertThat(fetched.rawRecord()).isEqualTo(raw);
    assertThat(fetched.sourceSha256()).isEqualTo(Fingerprint.sha256(raw)).hasSize(64);
    assertThat(HexFormat.of().parseHex(fetched.fingerprint())).hasSize(32);
  }

  @Test
  void mapsParticipantsConsumersFirstWithRolesNamesAndTimes() {
    Conversation c = full();
    List<Participant> ps = c.participants();

    assertThat(ps)
        .extracting(Participant::id)
        .containsExactly("consumer-1", "2755634412", "bot-7", "555", "0");
    Participant consumer = ps.get(0);
    assertThat(consumer.role()).isEqualTo(Role.CONSUMER);
    assertThat(consumer.displayName()).isEqualTo("Jo Doe");
    assertThat(consumer.email()).contains("jo@example.com"); // "undefined" in profile, SDE has it
    assertThat(consumer.joined()).contains(Instant.ofEpochMilli(1714557600000L));

    Participant ann = c.participant("2755634412").orElseThrow();
    assertThat(ann.role()).isEqualTo(Role.AGENT);
    assertThat(ann.displayName()).isEqualTo("Ann");
    assertThat(ann.loginName()).contains("ann@brand.com");
    assertThat(ann.joined()).contains(Instant.ofEpochMilli(1714557602000L));
    assertThat(ann.left()).contains(Instant.ofEpochMilli(1714558000000L));

    Participant bot = c.participant("bot-7").orElseThrow();
    assertThat(bot.role()).isEqualTo(Role.BOT);
    assertThat(bot.displayName()).isEqualTo("Helper Bot"); // nickname "undefined" skipped
    assertThat(c.participant("555").orElseThrow().role()).isEqualTo(Role.MANAGER);
    assertThat(c.participant("0").orElseThrow().role()).isEqualTo(Role.SYSTEM);
  }

  @Test
  void mapsEveryMessageType() {
    Conversation c = full();

    assertThat(c.messages()).hasSize(10);
    assertThat(c.messages())
        .extracting(Message::seq)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

    Message text = message(c, "ms::conv:c1::msg:0");
    assertThat(text.type()).isEqualTo(MessageType.TEXT_PLAIN);
    assertThat(text.text()).isEqualTo("Hi über 😀");
    assertThat(text.senderRole()).isEqualTo(Role.CONSUMER);
    assertThat(text.dialogId()).isEqualTo("dlg-main");
    assertThat(text.time()).isEqualTo(Instant.ofEpochMilli(1714557601000L));

    Message html = message(c, "m1");
    assertThat(html.type()).isEqualTo(MessageType.TEXT_HTML);
    assertThat(html.text()).isEqualTo("<b>Hello</b> Jo");
    assertThat(html.senderRole()).isEqualTo(Role.AGENT);

    Message file = message(c, "m2");
    assertThat(file.type()).isEqualTo(MessageType.HOSTED_FILE);
    assertThat(file.file())
        .hasValueSatisfying(
            f -> {
              assertThat(f.relativePath()).contains("/v1/AUTH_async-images/12345678/ab12.PNG");
              assertThat(f.externalUrl()).isEmpty();
              assertThat(f.fileType()).isEqualTo("PNG");
              assertThat(f.caption()).isEqualTo("receipt");
            });

    Message link = message(c, "m3");
    assertThat(link.type()).isEqualTo(MessageType.LINK);
    assertThat(link.senderRole()).isEqualTo(Role.AGENT); // "agent" in lower case
    assertThat(link.file())
        .hasValueSatisfying(
            f -> {
              assertThat(f.externalUrl()).contains("https://example.com/doc.pdf");
              assertThat(f.caption()).isEqualTo("terms");
            });

    assertThat(message(c, "m4").form())
        .hasValueSatisfying(
            f -> {
              assertThat(f.formId()).isEqualTo("f-1");
              assertThat(f.formName()).isEqualTo("Card details");
              assertThat(f.invitationId()).isEqualTo("inv-1");
              assertThat(f.submissionId()).isEmpty();
            });
    assertThat(message(c, "m5").type()).isEqualTo(MessageType.SECURE_FORM_SUBMIT);
    assertThat(message(c, "m5").form())
        .hasValueSatisfying(f -> assertThat(f.submissionId()).isEqualTo("sub-1"));

    Message rich = message(c, "m6");
    assertThat(rich.type()).isEqualTo(MessageType.RICH_CONTENT);
    assertThat(rich.senderRole()).isEqualTo(Role.BOT); // sentBy Agent, but the participant is a bot
    assertThat(rich.richContentJson())
        .contains(
            "{\"type\":\"vertical\",\"elements\":[{\"type\":\"text\",\"text\":\"Pick one\"}]}");
    assertThat(rich.quickRepliesJson())
        .contains(
            "{\"type\":\"quickReplies\",\"replies\":[{\"type\":\"button\",\"title\":\"Yes\"}]}");

    Message img = message(c, "m7");
    assertThat(img.type()).isEqualTo(MessageType.IMG);
    assertThat(img.file()).hasValueSatisfying(f -> assertThat(f.caption()).isEmpty()); // "null"

    Message unknown = message(c, "m8");
    assertThat(unknown.type()).isEqualTo(MessageType.UNKNOWN);
    assertThat(unknown.rawMessageData()).isEqualTo("{\"hologram\":{\"frames\":3}}");
  }

  @Test
  void buildsReadableEventsInTimeOrder() {
    Conversation c = full();

    assertThat(c.events()).isSortedAccordingTo(java.util.Comparator.comparing(e -> e.time()));
    assertThat(c.events())
        .extracting(e -> e.kind())
        .contains(
            Kind.PARTICIPANT_JOINED,
            Kind.PARTICIPANT_LEFT,
            Kind.TRANSFER,
            Kind.SKILL_CHANGE,
            Kind.DIALOG_STARTED,
            Kind.DIALOG_CLOSED,
            Kind.CONVERSATION_CLOSED);
    assertThat(descriptions(c, Kind.TRANSFER))
        .singleElement()
        .asString()
        .contains("Billing (12)")
        .contains("from agent Ann (2755634412)")
        .contains("reason: Skill")
        .doesNotContain("null");
    assertThat(descriptions(c, Kind.SKILL_CHANGE))
        .containsExactly("Skill changed from General to Billing");
    assertThat(descriptions(c, Kind.DIALOG_STARTED))
        .containsExactly(
            "MAIN dialog started (MESSAGING)", "POST_SURVEY dialog started (MESSAGING)");
    assertThat(descriptions(c, Kind.DIALOG_CLOSED))
        .anySatisfy(d -> assertThat(d).startsWith("POST_SURVEY dialog closed"));
    assertThat(descriptions(c, Kind.CONVERSATION_CLOSED))
        .containsExactly("Conversation closed (close reason: AGENT (MANUAL_CLOSE))");
    assertThat(descriptions(c, Kind.PARTICIPANT_JOINED))
        .contains("Ann (2755634412) [agent] joined as ASSIGNED_AGENT");
  }

  private static List<String> descriptions(Conversation c, Kind kind) {
    return c.events().stream().filter(e -> e.kind() == kind).map(e -> e.description()).toList();
  }

  @Test
  void readsSurveysAndAttributesInDisplayOrder() {
    Conversation c = full();

    assertThat(c.surveys())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.type()).isEqualTo("CSAT");
              assertThat(s.status()).isEqualTo("FILLED");
              assertThat(s.answers())
                  .extracting(a -> a.question() + "=" + a.answer())
                  .containsExactly("Rate us=5", "Comments?=Great \"service\"");
            });
    assertThat(c.attributes().keySet())
        .containsExactly(
            "Brand",
            "Skill",
            "Agent group",
            "Close reason",
            "Source",
            "Device",
            "Campaign engagement source",
            "Monitoring country");
    assertThat(c.attributes())
        .containsEntry("Brand", "Bränd – Café")
        .containsEntry("Close reason", "AGENT (MANUAL_CLOSE)");
  }

  @Test
  void toleratesTheSingularKeyStringTimesSentinelsAndUnknownSenders() {
    Conversation c = parsed(Fixtures.bytes("singular-open-record.json")).conversation();

    assertThat(c.status()).isEqualTo("OPEN");
    assertThat(c.start()).isEqualTo(Instant.parse("2024-06-02T08:30:15.250Z")); // startTimeL -1
    assertThat(c.end()).isEmpty(); // endTimeL -1, endTime "undefined"
    assertThat(c.attributes()).doesNotContainKey("Close reason").containsEntry("Source", "SHARK");
    Participant consumer = c.participants().get(0);
    assertThat(consumer.id()).isEqualTo("consumer-9");
    assertThat(consumer.displayName()).isEqualTo("Sam");
    assertThat(consumer.email()).contains("sam@example.org");
    assertThat(c.messages().get(0).seq()).isEqualTo(12L);
    assertThat(c.messages().get(0).time()).isEqualTo(Instant.parse("2024-06-02T08:30:20Z"));
    assertThat(c.participant("ghost-1")).map(Participant::role).contains(Role.AGENT);
    assertThat(c.events()).noneMatch(e -> e.kind() == Kind.CONVERSATION_CLOSED);
  }

  @Test
  void recordsWithoutWhatAnArchiveNeedsAreUnparseableWithAReason() {
    assertThat(reason("{\"info\":{\"startTimeL\":1714557600123}}"))
        .isEqualTo("record has no info.conversationId");
    assertThat(reason("{\"info\":{\"conversationId\":\"undefined\"}}"))
        .isEqualTo("record has no info.conversationId");
    assertThat(reason("{\"messageRecords\":[]}")).isEqualTo("record has no info object");
    assertThat(reason("{\"info\":{\"conversationId\":\"x1\",\"startTimeL\":-1}}"))
        .contains("no info.startTimeL");
    assertThat(reason("{\"info\":{\"conversationId\":\"a/b<c>\",\"startTimeL\":1}}"))
        .contains("not a LivePerson id");
    assertThat(reason("{\"info\":{\"conversationId\":\"x1\",")).startsWith("not valid JSON");
    assertThat(reason("[1,2]")).isEqualTo("record is not a JSON object");

    SourceRecord.Unparseable u =
        (SourceRecord.Unparseable) parser.parse(bytes("{\"info\":{\"conversationId\":\"x1\"}}"));
    assertThat(u.conversationId()).isEqualTo("x1");
    assertThat(u.channel()).isEqualTo(Channel.MESSAGING);
    assertThat(u.raw()).isEqualTo(bytes("{\"info\":{\"conversationId\":\"x1\"}}"));
  }

  @Test
  void oddlyShapedSectionsDoNotBreakTheRecord() {
    String json =
        "{\"info\":{\"conversationId\":\"x2\",\"startTimeL\":1000,\"status\":\"CLOSE\"},"
            + "\"messageRecords\":[{\"type\":\"TEXT_PLAIN\"},{\"messageData\":\"weird\"},7],"
            + "\"agentParticipants\":{\"agentId\":\"9\",\"timeL\":\"oops\"},"
            + "\"transfers\":\"nope\",\"dialogs\":[{}],\"summary\":{\"text\":\"null\"}}";
    Conversation c = parsed(bytes(json)).conversation();

    assertThat(c.messages())
        .hasSize(3)
        .allSatisfy(m -> assertThat(m.time()).isEqualTo(Instant.ofEpochMilli(1000)));
    assertThat(c.participant("9")).isPresent();
    assertThat(c.summary()).isEqualTo(Optional.empty());
  }

  private String reason(String json) {
    SourceRecord record = parser.parse(bytes(json));
    assertThat(record).isInstanceOf(SourceRecord.Unparseable.class);
    return ((SourceRecord.Unparseable) record).reason();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
