package io.lparchiver.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Recipients;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.source.liveperson.MessagingRecordParser;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken records through parser and renderer: each becomes a well-formed email (parsed
 * back by Jakarta Mail, no header added, no markup that executes) or an unparseable record with its
 * reason; never an exception, a hang or a silent skip.
 */
class HostileInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "12345678";
  private static final List<String> EXPECTED_HEADERS =
      List.of(
          "Date",
          "From",
          "Sender",
          "To",
          "Message-ID",
          "Subject",
          "MIME-Version",
          "Content-Type",
          "X-LivePerson-Account",
          "X-LivePerson-Conversation-Id",
          "X-LivePerson-Channel",
          "X-LivePerson-Status",
          "X-LivePerson-Start",
          "X-LivePerson-End",
          "X-LivePerson-Version",
          "X-LivePerson-Source-SHA256",
          "X-LivePerson-Message-Count",
          "X-LivePerson-Archiver");

  private final MessagingRecordParser parser = new MessagingRecordParser(ACCOUNT);
  private final EmailRenderer renderer = new EmailRenderer(ZoneOffset.UTC);

  static Stream<Arguments> corpus() {
    String script =
        "<script>alert(1)</script><style>body{display:none}</style><img src=x onerror=alert(2)>";
    return Stream.of(
        bytes(
            "invalid UTF-8 in a text",
            withText("caf\u00e9")
                .replace(
                    "caf\u00e9".getBytes(StandardCharsets.UTF_8),
                    new byte[] {'c', 'a', 'f', (byte) 0xC3, (byte) 0x28})),
        record(
            "NUL bytes everywhere", r -> text(r, 0, "a\u0000b").put("participantId", "p\u0000x")),
        record(
            "RTL override and emoji",
            r -> text(r, 0, "\u202Egnp.exe \uD83D\uDE00 \u05E9\u05DC\u05D5\u05DD")),
        record(
            "50,000-character SDE value",
            r ->
                r.putObject("sdes")
                    .putArray("events")
                    .addObject()
                    .put("sdeType", "CUSTOMER_INFO")
                    .putObject("customerInfo")
                    .putObject("customerInfo")
                    .put("companyBranch", "x".repeat(50_000))),
        record(
            "script and CSS in every text field",
            r -> {
              text(r, 0, script);
              r.putObject("summary").put("text", script);
              ((ObjectNode) r.get("consumerParticipants").get(0))
                  .put("firstName", script)
                  .put("lastName", script);
              ((ObjectNode) r.get("agentParticipants").get(0))
                  .put("agentNickname", script)
                  .put("agentLoginName", script);
              ((ObjectNode) r.get("info")).put("latestSkillName", script).put("brandName", script);
            }),
        record(
            "CR/LF and encoded-word sequences in names",
            r -> {
              ((ObjectNode) r.get("consumerParticipants").get(0))
                  .put("firstName", "Jo\r\nBcc: evil@example.com\r\n")
                  .put("lastName", "=?utf-8?b?PHNjcmlwdD4=?=");
              ((ObjectNode) r.get("agentParticipants").get(0))
                  .put("agentNickname", "Ann\nX-Injected: yes");
            }),
        record(
            "hostile file captions and paths",
            r -> {
              ObjectNode m = message(r, 1);
              m.put("type", "HOSTED_FILE");
              m.putObject("messageData")
                  .putObject("file")
                  .put("relativePath", "../../etc/passwd")
                  .put("fileType", "CON.txt")
                  .put("caption", "CON.txt\r\nX-Evil: 1");
            }),
        record(
            "rich content nested 1,000 deep",
            r -> {
              ObjectNode m = message(r, 1);
              m.put("type", "RICH_CONTENT");
              m.putObject("messageData").putObject("richContent").put("content", nested(1_000));
            }),
        record(
            "rich content that is not JSON",
            r -> {
              ObjectNode m = message(r, 1);
              m.put("type", "RICH_CONTENT");
              m.putObject("messageData")
                  .putObject("richContent")
                  .put("content", "{\"type\":\"vertical\",\"elements\":[");
            }),
        record(
            "wrong types everywhere",
            r -> {
              ((ObjectNode) r.get("info"))
                  .put("startTimeL", "not-a-number")
                  .put("startTime", "2024-05-01 10:00:00.000+0000");
              message(r, 0).put("seq", "seven").set("messageData", JSON.createArrayNode().add(1));
              r.put("transfers", "should be an array");
              r.putArray("conversationSurveys").add("not an object");
            }),
        record("an unknown message type", r -> message(r, 1).put("type", "HOLOGRAM")),
        bytes("not JSON at all", "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8)),
        bytes("a JSON array instead of a record", "[1,2,3]".getBytes(StandardCharsets.UTF_8)),
        record(
            "missing conversation id", r -> ((ObjectNode) r.get("info")).remove("conversationId")),
        record(
            "conversation id with slash, angle brackets and spaces",
            r -> ((ObjectNode) r.get("info")).put("conversationId", "../a <b> c")),
        record(
            "missing start time",
            r -> ((ObjectNode) r.get("info")).remove(List.of("startTime", "startTimeL"))),
        record(
            "100,000 messages",
            r -> {
              ArrayNode records = (ArrayNode) r.get("messageRecords");
              for (int seq = 2; seq < 100_000; seq++) {
                records.add(((ObjectNode) records.get(0)).deepCopy().put("seq", seq));
              }
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void becomesAWellFormedEmailOrAnUnparseableRecordWithItsReason(String name, byte[] raw) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          SourceRecord record = parser.parse(raw);
          if (record instanceof SourceRecord.Unparseable bad) {
            assertThat(bad.reason()).as(name).isNotBlank();
            return;
          }
          FetchedConversation fetched = ((SourceRecord.Parsed) record).fetched();
          MessageKey key =
              new MessageKey(
                  ACCOUNT, fetched.conversation().channel(), fetched.conversation().id(), 1);
          Recipients recipients =
              new Recipients(
                  new TreeSet<>(List.of(new Mailbox("ann@brand.example"))), Map.of(), List.of());
          ArchiveEmail email = renderer.render(fetched, key, recipients, List.of());
          MimeMessage parsed =
              new MimeMessage(
                  Session.getInstance(new Properties()), new ByteArrayInputStream(email.mime()));
          List<String> headers = new ArrayList<>();
          Collections.list(parsed.getAllHeaders()).forEach(h -> headers.add(h.getName()));
          assertThat(headers).as("%s: header names", name).isSubsetOf(EXPECTED_HEADERS);
          assertThat(parsed.getHeader("Bcc")).isNull();
          String html = part(parsed, "text/html");
          assertThat(html)
              .as(name)
              .doesNotContainIgnoringCase("<script")
              .doesNotContainIgnoringCase("<style")
              .doesNotContainIgnoringCase("<img");
          assertThat(html)
              .as("%s: no event handler inside a tag", name)
              .doesNotContainPattern("(?i)<[^>]*\\son[a-z]+\\s*=");
          assertThat(part(parsed, "text/plain")).as(name).isNotBlank();
          byte[] original = attachment(parsed, "conversation.json");
          assertThat(original)
              .as("%s: the original record attached byte for byte", name)
              .isEqualTo(raw);
        });
  }

  private static Arguments record(String name, Consumer<ObjectNode> change) {
    ObjectNode r = base();
    change.accept(r);
    return Arguments.of(name, r.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Arguments bytes(String name, byte[] raw) {
    return Arguments.of(name, raw);
  }

  private static RawText withText(String text) {
    ObjectNode r = base();
    HostileInputTest.text(r, 0, text);
    return new RawText(r.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Bytes with one occurrence of a byte sequence replaced, for encodings JSON cannot express. */
  private record RawText(byte[] bytes) {
    byte[] replace(byte[] from, byte[] to) {
      String hay = new String(bytes, StandardCharsets.ISO_8859_1);
      String needle = new String(from, StandardCharsets.ISO_8859_1);
      return hay.replace(needle, new String(to, StandardCharsets.ISO_8859_1))
          .getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  private static ObjectNode base() {
    ObjectNode r = JSON.createObjectNode();
    r.putObject("info")
        .put("conversationId", "c0ffee00-0000-4000-8000-00000000beef")
        .put("brandId", ACCOUNT)
        .put("status", "CLOSE")
        .put("startTimeL", 1714557600000L)
        .put("endTimeL", 1714558200000L);
    ArrayNode records = r.putArray("messageRecords");
    records
        .addObject()
        .put("type", "TEXT_PLAIN")
        .put("seq", 0)
        .put("participantId", "consumer-1")
        .put("sentBy", "Consumer")
        .put("timeL", 1714557601000L)
        .putObject("messageData")
        .putObject("msg")
        .put("text", "Hello");
    records
        .addObject()
        .put("type", "TEXT_PLAIN")
        .put("seq", 1)
        .put("participantId", "2755634412")
        .put("sentBy", "Agent")
        .put("timeL", 1714557602000L)
        .putObject("messageData")
        .putObject("msg")
        .put("text", "Hi");
    r.putArray("agentParticipants")
        .addObject()
        .put("agentId", "2755634412")
        .put("agentNickname", "Ann")
        .put("timeL", 1714557601500L);
    r.putArray("consumerParticipants")
        .addObject()
        .put("participantId", "consumer-1")
        .put("firstName", "Jo");
    return r;
  }

  private static ObjectNode message(ObjectNode r, int index) {
    return (ObjectNode) r.get("messageRecords").get(index);
  }

  private static ObjectNode text(ObjectNode r, int index, String text) {
    ObjectNode m = message(r, index);
    ((ObjectNode) m.get("messageData").get("msg")).put("text", text);
    return m;
  }

  private static String nested(int depth) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      s.append("{\"type\":\"vertical\",\"elements\":[");
    }
    s.append("{\"type\":\"text\",\"text\":\"deep\"}");
    for (int i = 0; i < depth; i++) {
      s.append("]}");
    }
    return s.toString();
  }

  private static String part(Part part, String type) throws Exception {
    if (part.isMimeType(type) && part.getFileName() == null) {
      return (String) part.getContent();
    }
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        String found = part(mp.getBodyPart(i), type);
        if (!found.isEmpty()) {
          return found;
        }
      }
    }
    return "";
  }

  private static byte[] attachment(Part part, String name) throws Exception {
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        if (name.equals(mp.getBodyPart(i).getFileName())) {
          return mp.getBodyPart(i).getInputStream().readAllBytes();
        }
        byte[] nested = attachment(mp.getBodyPart(i), name);
        if (nested.length > 0) {
          return nested;
        }
      }
    }
    return new byte[0];
  }
}
