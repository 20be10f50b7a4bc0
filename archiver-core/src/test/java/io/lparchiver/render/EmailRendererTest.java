package io.lparchiver.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Message;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.MessageType;
import io.lparchiver.model.Recipients;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Reads rendered emails back with Jakarta Mail and checks what a reader and an auditor rely on. */
class EmailRendererTest {

  private final EmailRenderer renderer = new EmailRenderer();
  private final Conversation full = Fixtures.full();

  private ArchiveEmail renderFull(int version, List<MessageKey> previous) throws RenderException {
    return renderer.render(
        Fixtures.fetched(full), Fixtures.key(full, version), Fixtures.recipients(), previous);
  }

  @Test
  void shouldSetIdentityDateAndLivePersonHeaders() throws Exception {
    ArchiveEmail email = renderFull(1, List.of());
    ParsedEmail parsed = new ParsedEmail(email.mime());

    assertThat(parsed.header("Message-ID"))
        .isEqualTo("<lp.12345678." + Fixtures.CONV + ".v1@lp-archiver>");
    assertThat(parsed.header("Date")).isEqualTo("Wed, 1 May 2024 10:00:00 +0000");
    assertThat(parsed.message.getSentDate().toInstant().getEpochSecond())
        .isEqualTo(Fixtures.START.getEpochSecond());
    assertThat(parsed.header("In-Reply-To")).isNull();
    assertThat(parsed.header("X-LivePerson-Account")).isEqualTo("12345678");
    assertThat(parsed.header("X-LivePerson-Conversation-Id")).isEqualTo(Fixtures.CONV);
    assertThat(parsed.header("X-LivePerson-Channel")).isEqualTo("messaging");
    assertThat(parsed.header("X-LivePerson-Status")).isEqualTo("CLOSE");
    assertThat(parsed.header("X-LivePerson-Start")).isEqualTo("2024-05-01T10:00:00.123Z");
    assertThat(parsed.header("X-LivePerson-End")).isEqualTo("2024-05-01T10:10:30.123Z");
    assertThat(parsed.header("X-LivePerson-Version")).isEqualTo("1");
    assertThat(parsed.header("X-LivePerson-Message-Count"))
        .isEqualTo(Integer.toString(full.messages().size()));
    assertThat(parsed.header("X-LivePerson-Source-SHA256"))
        .isEqualTo(Fixtures.fetched(full).sourceSha256());
    assertThat(parsed.header("MIME-Version")).isEqualTo("1.0");
    assertThat(parsed.header("X-Mailer")).isNull();
  }

  @Test
  void shouldEncodeSubjectAndReturnItDecoded() throws Exception {
    ArchiveEmail email = renderFull(1, List.of());
    ParsedEmail parsed = new ParsedEmail(email.mime());

    assertThat(parsed.header("Subject")).startsWith("=?UTF-8?");
    assertThat(parsed.message.getSubject())
        .isEqualTo(email.subject())
        .isEqualTo(
            "[LivePerson messaging] 2024-05-01 10:00 UTC | Jöhanna \"Jo\" Døe with Ann 李,"
                + " Jo Bcc: x@evil.example, Survey Bot | "
                + Fixtures.CONV);
  }

  @Test
  void shouldAddressConsumerFromAndEveryAgentAndBotTo() throws Exception {
    ParsedEmail parsed = new ParsedEmail(renderFull(1, List.of()).mime());

    InternetAddress from = (InternetAddress) parsed.message.getFrom()[0];
    assertThat(from.getPersonal()).isEqualTo("Jöhanna \"Jo\" Døe");
    assertThat(from.getAddress()).isEqualTo("9f2e11aa-consumer@12345678.liveperson.invalid");
    assertThat(
            Arrays.stream(parsed.message.getRecipients(RecipientType.TO))
                .map(a -> ((InternetAddress) a).getAddress()))
        .containsExactly(
            "ann.lee@brand.example",
            "2755634499@12345678.liveperson.invalid",
            "bot-77@12345678.liveperson.invalid");
  }

  @Test
  void shouldNeutraliseHeaderInjectionThroughNames() throws Exception {
    ParsedEmail parsed = new ParsedEmail(renderFull(1, List.of()).mime());

    assertThat(parsed.headerNames())
        .containsExactly(
            "Date",
            "From",
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
    assertThat(parsed.message.getRecipients(RecipientType.BCC)).isNull();
    InternetAddress bob = (InternetAddress) parsed.message.getRecipients(RecipientType.TO)[1];
    assertThat(bob.getPersonal()).isEqualTo("Jo Bcc: x@evil.example");
  }

  @Test
  void shouldThreadLaterVersionsToEarlierOnes() throws Exception {
    ArchiveEmail v3 = renderFull(3, List.of(Fixtures.key(full, 1), Fixtures.key(full, 2)));
    ParsedEmail parsed = new ParsedEmail(v3.mime());

    assertThat(parsed.header("In-Reply-To")).isEqualTo(Fixtures.key(full, 2).messageId());
    assertThat(parsed.header("References").replaceAll("\\s+", " "))
        .isEqualTo(Fixtures.key(full, 1).messageId() + " " + Fixtures.key(full, 2).messageId());
    assertThat(parsed.header("X-LivePerson-Version")).isEqualTo("3");
    assertThat(v3.subject()).endsWith("(version 3)");
  }

  @Test
  void shouldShowEveryPlainMessageInBothTranscripts() throws Exception {
    ParsedEmail parsed = new ParsedEmail(renderFull(1, List.of()).mime());

    for (Message m : full.messages()) {
      if (m.type() == MessageType.TEXT_PLAIN) {
        for (String line : Texts.clean(m.text()).split("\n", -1)) {
          assertThat(parsed.text).as("text part, message #%s", m.seq()).contains(line);
          assertThat(parsed.html).as("html part, message #%s", m.seq()).contains(Texts.html(line));
        }
      }
    }
    assertThat(parsed.text).contains("[10:00:12] [agent-only] Ann 李 (agent, #3): VIP customer");
    assertThat(parsed.html).contains("[agent-only]</span> VIP customer");
  }

  @Test
  void shouldRenderEachMessageTypeReadably() throws Exception {
    String text = new ParsedEmail(renderFull(1, List.of()).mime()).text;

    assertThat(text)
        .contains("[File: receipt (PNG)] /v1/AUTH_async-images/12345678/ab12.PNG")
        .contains("[Link: Returns policy] https://help.example/returns")
        .contains("[File: parcel (JPG)] /v1/AUTH_async-images/12345678/cd34.JPG")
        .contains("[Secure form invitation: Card details (F-1)]")
        .contains("[Secure form submitted: Card details (F-1, submission SUB-4)]")
        .contains("[Image: Product] https://img.example/p.png")
        .contains("[Button: Track → https://track.example/1]")
        .contains("[Map: 52.37,4.89]")
        .contains("☐ Gift wrap")
        .contains("[Quick replies: Yes | No]")
        .contains("[datePicker: Appointment choose]")
        .contains("(agent, #11): {not json")
        .contains("{\"hologram\":{\"id\":\"h-1\"}}")
        .contains("[10:05:00] -- Transfer: Skill Unassigned → Billing (by Ann 李)")
        .contains("*** Dialog " + Fixtures.SURVEY_DIALOG)
        .contains("Rate us: 5")
        .contains("Refund issued.")
        .contains("Attachments / shared files");
  }

  @Test
  void shouldOrderOpeningEventsBeforeAndClosingEventsAfterMessagesOfTheSameSecond()
      throws Exception {
    String text = new ParsedEmail(renderFull(1, List.of()).mime()).text;

    assertThat(text.indexOf("-- Joined: Jo Bcc")).isLessThan(text.indexOf("Hello, Bob here."));
    assertThat(text.indexOf("Yes\n[10:10:30] -- Conversation closed")).isPositive();
  }

  @Test
  void shouldNeverLetScriptsIntoTheHtmlPart() throws Exception {
    ParsedEmail parsed = new ParsedEmail(renderFull(1, List.of()).mime());

    assertThat(parsed.html).doesNotContainIgnoringCase("<script").doesNotContain("<img");
    assertThat(parsed.html).contains("Please <b>confirm</b>");
    assertThat(parsed.html).contains("Is this safe? &lt;script&gt;");
    assertThat(parsed.text).contains("Please <b>confirm</b> " + Fixtures.SCRIPT);
  }

  @Test
  void shouldAttachTheRawRecordByteForByte() throws Exception {
    FetchedConversation fetched = Fixtures.fetched(full);
    ParsedEmail parsed = new ParsedEmail(renderFull(1, List.of()).mime());

    assertThat(parsed.attachments.get("conversation.json")).isEqualTo(fetched.rawRecord());
    assertThat(EmailRenderer.sha256Hex(parsed.attachments.get("conversation.json")))
        .isEqualTo(parsed.header("X-LivePerson-Source-SHA256"));
  }

  @Test
  void shouldAttachRichContentJsonOnlyWhenNotFullyRendered() throws Exception {
    ParsedEmail parsed = new ParsedEmail(renderFull(1, List.of()).mime());

    assertThat(parsed.attachments.keySet())
        .containsExactly("conversation.json", "richcontent-10.json");
    assertThat(new String(parsed.attachments.get("richcontent-10.json"), StandardCharsets.UTF_8))
        .isEqualTo(Fixtures.RICH_UNKNOWN);
  }

  @Test
  void shouldAttachDownloadedFilesUnchanged() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};
    ArchiveEmail email =
        renderer.render(
            Fixtures.fetched(full),
            Fixtures.key(full, 1),
            Fixtures.recipients(),
            List.of(),
            List.of(new AttachmentContent("../ab12\r\n.PNG", "image/png\r\nX: y", png)));
    ParsedEmail parsed = new ParsedEmail(email.mime());

    assertThat(parsed.attachments).containsKey("ab12 .PNG");
    assertThat(parsed.attachments.get("ab12 .PNG")).isEqualTo(png);
    assertThat(parsed.headerNames()).doesNotContain("X");
  }

  @Test
  void shouldBeDeterministicWithCrlfAndShortLines() throws Exception {
    ArchiveEmail first = renderFull(2, List.of(Fixtures.key(full, 1)));
    ArchiveEmail second = renderFull(2, List.of(Fixtures.key(full, 1)));

    assertThat(first.mime()).isEqualTo(second.mime());
    assertThat(first.sha256()).isEqualTo(EmailRenderer.sha256Hex(first.mime()));
    assertCrlfAndShortLines(first.mime());
  }

  @Test
  void shouldOmitEndAndMarkOpenConversations() throws Exception {
    Conversation open = Fixtures.minimalOpen();
    ArchiveEmail email =
        renderer.render(
            Fixtures.fetched(open), Fixtures.key(open, 1), Fixtures.noRecipients(), List.of());
    ParsedEmail parsed = new ParsedEmail(email.mime());

    assertThat(parsed.header("X-LivePerson-End")).isNull();
    assertThat(parsed.header("X-LivePerson-Channel")).isEqualTo("chat");
    assertThat(parsed.header("Message-ID")).isEqualTo("<lp.chat.12345678.open-1.v1@lp-archiver>");
    assertThat(parsed.header("To")).isNull();
    assertThat(email.subject()).endsWith("visitor-1 (no agent) | open-1 (open)");
    assertThat(parsed.text).contains("End: (open)");
  }

  @Test
  void shouldShowTranscriptTimesInTheDisplayZone() throws Exception {
    ArchiveEmail email =
        new EmailRenderer(ZoneId.of("Europe/Paris"))
            .render(
                Fixtures.fetched(full), Fixtures.key(full, 1), Fixtures.recipients(), List.of());
    ParsedEmail parsed = new ParsedEmail(email.mime());

    assertThat(parsed.text)
        .contains("[12:00:01] Jöhanna")
        .contains("Start: 2024-05-01 12:00:00 Europe/Paris");
    assertThat(parsed.header("X-LivePerson-Start")).isEqualTo("2024-05-01T10:00:00.123Z");
    assertThat(email.subject()).contains("2024-05-01 10:00 UTC");
  }

  @Test
  void shouldRejectInputsThatDoNotBelongTogether() {
    FetchedConversation fetched = Fixtures.fetched(full);
    MessageKey key = Fixtures.key(full, 2);
    MessageKey other = new MessageKey("12345678", full.channel(), "other-conversation", 1);
    FetchedConversation tampered =
        new FetchedConversation(
            full, "{}".getBytes(StandardCharsets.UTF_8), fetched.sourceSha256(), "fp");
    Recipients badAddress =
        new Recipients(new TreeSet<>(), Map.of(Fixtures.ANN, "Ann <ann@x.example>"), List.of());

    assertThatThrownBy(() -> renderer.render(fetched, other, Fixtures.recipients(), List.of()))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("does not match the conversation");
    assertThatThrownBy(() -> renderer.render(tampered, key, Fixtures.recipients(), List.of()))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("X-LivePerson-Source-SHA256");
    assertThatThrownBy(() -> renderer.render(fetched, key, Fixtures.recipients(), List.of(key)))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("previous versions");
    assertThatThrownBy(() -> renderer.render(fetched, key, badAddress, List.of()))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining(Fixtures.ANN);
  }

  static void assertCrlfAndShortLines(byte[] mime) {
    String s = new String(mime, StandardCharsets.US_ASCII);
    assertThat(s.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
    for (String line : s.split("\r\n", -1)) {
      assertThat(line.length()).as("line length: %s", line).isLessThanOrEqualTo(998);
    }
    for (byte b : mime) {
      assertThat(b & 0xff).as("8-bit byte in a 7-bit message").isLessThan(0x80);
    }
  }
}
