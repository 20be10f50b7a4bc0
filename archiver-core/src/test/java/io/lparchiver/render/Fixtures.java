package io.lparchiver.render;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.ConversationEvent;
import io.lparchiver.model.ConversationEvent.Kind;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.FileReference;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MappingDecision;
import io.lparchiver.model.Message;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.MessageType;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Recipients;
import io.lparchiver.model.Role;
import io.lparchiver.model.SecureForm;
import io.lparchiver.model.Survey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Model conversations for the render tests, built in code so each case is visible. */
final class Fixtures {

  static final String ACCOUNT = "12345678";
  static final String CONV = "5b1c7e2a-0d4f-4c59-9a51-6f1b2c3d4e5f";
  static final String SURVEY_DIALOG = "a9d3f0c1-post-survey";
  static final String CONSUMER = "9f2e11aa-consumer";
  static final String ANN = "2755634412";
  static final String BOB = "2755634499";
  static final String BOT = "bot-77";
  static final Instant START = Instant.parse("2024-05-01T10:00:00.123Z");
  static final String HOSTILE_NAME = "Jo\r\nBcc: x@evil.example";
  static final String SCRIPT = "<script>alert('x')</script>";

  static final String RICH_CARD =
      """
      {"type":"vertical","elements":[
        {"type":"text","text":"Your order","style":{"bold":true}},
        {"type":"image","url":"https://img.example/p.png","caption":"Product"},
        {"type":"button","title":"Track","click":{"actions":[{"type":"link","uri":"https://track.example/1"}]}},
        {"type":"button","title":"Agent","click":{"actions":[{"type":"publishText","text":"talk to agent"}]}},
        {"type":"map","la":52.37,"lo":4.89,"tooltip":"Store"},
        {"type":"list","elements":[{"type":"sectionList","elements":[{"type":"section","elements":[
          {"type":"checklist","elements":[{"type":"checkbox","text":"Gift wrap"}]}]}]}]}
      ]}""";
  static final String RICH_UNKNOWN =
      "{\"type\":\"vertical\",\"elements\":[{\"type\":\"text\",\"text\":\"Pick a slot\"},"
          + "{\"type\":\"datePicker\",\"title\":\"Appointment\",\"tooltip\":\"choose\"}]}";
  static final String QUICK_REPLIES =
      "{\"type\":\"quickReplies\",\"itemsPerRow\":8,\"replies\":["
          + "{\"type\":\"button\",\"title\":\"Yes\",\"click\":{\"actions\":[{\"type\":\"publishText\",\"text\":\"Yes\"}]}},"
          + "{\"type\":\"button\",\"title\":\"No\",\"click\":{\"actions\":[{\"type\":\"publishText\",\"text\":\"No\"}]}}]}";

  private Fixtures() {}

  static Instant at(int seconds) {
    return START.plusSeconds(seconds);
  }

  /** Every message type, events, a transfer, a post-survey dialog, hostile and non-ASCII text. */
  static Conversation full() {
    List<Participant> people =
        List.of(
            participant(CONSUMER, Role.CONSUMER, "Jöhanna \"Jo\" Døe", 0),
            participant(ANN, Role.AGENT, "Ann 李", 2),
            participant(BOB, Role.AGENT, HOSTILE_NAME, 300),
            participant(BOT, Role.BOT, "Survey Bot", 605));
    List<Message> messages = new ArrayList<>();
    messages.add(text(0, 1, CONSUMER, Role.CONSUMER, "Hi, I need help\nwith my order ✓"));
    messages.add(
        msg(1, 5, CONSUMER, Role.CONSUMER, MessageType.HOSTED_FILE, "")
            .file(file("/v1/AUTH_async-images/12345678/ab12.PNG", null, "PNG", "receipt"))
            .build());
    messages.add(
        msg(2, 10, ANN, Role.AGENT, MessageType.RICH_CONTENT, "")
            .rich(RICH_CARD)
            .quick(QUICK_REPLIES)
            .build());
    messages.add(
        msg(3, 12, ANN, Role.AGENT, MessageType.TEXT_PLAIN, "VIP customer").agentOnly().build());
    messages.add(text(4, 20, CONSUMER, Role.CONSUMER, "Is this safe? " + SCRIPT));
    messages.add(
        msg(5, 30, ANN, Role.AGENT, MessageType.TEXT_HTML, "Please <b>confirm</b> " + SCRIPT)
            .build());
    messages.add(
        msg(6, 40, ANN, Role.AGENT, MessageType.LINK, "")
            .file(file(null, "https://help.example/returns", "", "Returns policy"))
            .build());
    messages.add(
        msg(7, 50, CONSUMER, Role.CONSUMER, MessageType.IMG, "photo of parcel")
            .file(file("/v1/AUTH_async-images/12345678/cd34.JPG", null, "JPG", "parcel"))
            .build());
    messages.add(
        msg(8, 60, ANN, Role.AGENT, MessageType.SECURE_FORM_INVITATION, "")
            .form(new SecureForm("F-1", "Card details", "INV-9", ""))
            .build());
    messages.add(
        msg(9, 90, CONSUMER, Role.CONSUMER, MessageType.SECURE_FORM_SUBMIT, "")
            .form(new SecureForm("F-1", "Card details", "INV-9", "SUB-4"))
            .build());
    messages.add(
        msg(10, 100, ANN, Role.AGENT, MessageType.RICH_CONTENT, "").rich(RICH_UNKNOWN).build());
    messages.add(
        msg(11, 110, ANN, Role.AGENT, MessageType.RICH_CONTENT, "").rich("{not json").build());
    messages.add(
        msg(12, 120, ANN, Role.AGENT, MessageType.UNKNOWN, "")
            .raw("{\"hologram\":{\"id\":\"h-1\"}}")
            .build());
    messages.add(text(14, 301, BOB, Role.AGENT, "Hello, Bob here.\r\nLine two\tTabbed \u0007bell"));
    messages.add(text(15, 400, CONSUMER, Role.CONSUMER, "Thanks — ευχαριστώ 🙏"));
    messages.add(
        msg(16, 610, BOT, Role.BOT, MessageType.TEXT_PLAIN, "How did we do?")
            .dialog(SURVEY_DIALOG)
            .quick(QUICK_REPLIES)
            .build());
    messages.add(
        msg(17, 620, CONSUMER, Role.CONSUMER, MessageType.TEXT_PLAIN, "Yes")
            .dialog(SURVEY_DIALOG)
            .build());
    List<ConversationEvent> events =
        List.of(
            event(0, Kind.DIALOG_STARTED, "MAIN dialog started", CONV),
            event(2, Kind.PARTICIPANT_JOINED, "Ann 李 (agent) joined", CONV),
            event(300, Kind.TRANSFER, "Skill Unassigned → Billing (by Ann 李)", CONV),
            event(300, Kind.PARTICIPANT_JOINED, HOSTILE_NAME + " joined", CONV),
            event(600, Kind.DIALOG_CLOSED, "MAIN dialog closed (AGENT)", CONV),
            event(605, Kind.DIALOG_STARTED, "POST_SURVEY dialog started", SURVEY_DIALOG),
            event(630, Kind.CONVERSATION_CLOSED, "closed by AGENT", SURVEY_DIALOG));
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("Skill", "Billing");
    attributes.put("Agent group", "Main");
    attributes.put("Close reason", "AGENT (MANUAL_CLOSE)");
    attributes.put("Source", "APP / MOBILE");
    List<Survey> surveys =
        List.of(
            new Survey(
                "CSAT",
                "FILLED",
                List.of(
                    new Survey.Answer("Rate us", "5"),
                    new Survey.Answer("Why?", "Fast\nand kind"))));
    return new Conversation(
        ACCOUNT,
        CONV,
        Channel.MESSAGING,
        "CLOSE",
        START,
        Optional.of(at(630)),
        people,
        messages,
        events,
        surveys,
        Optional.of("Refund issued.\nCustomer satisfied."),
        attributes);
  }

  /** An open conversation: one consumer line, no agent yet. */
  static Conversation minimalOpen() {
    return new Conversation(
        ACCOUNT,
        "open-1",
        Channel.CHAT,
        "OPEN",
        START,
        Optional.empty(),
        List.of(participant("visitor-1", Role.CONSUMER, "", 0)),
        List.of(text(0, 1, "visitor-1", Role.CONSUMER, "anyone there?")),
        List.of(),
        List.of(),
        Optional.empty(),
        Map.of());
  }

  static FetchedConversation fetched(Conversation c) {
    byte[] raw =
        ("{\"info\":{\"conversationId\":\"" + c.id() + "\",\"note\":\"raw bytes \u00e9 kept\"}}\n")
            .getBytes(StandardCharsets.UTF_8);
    return new FetchedConversation(c, raw, EmailRenderer.sha256Hex(raw), "fp-" + c.id());
  }

  static MessageKey key(Conversation c, int version) {
    return new MessageKey(c.account(), c.channel(), c.id(), version);
  }

  /** Ann maps to a mailbox; everyone else gets a .invalid address. */
  static Recipients recipients() {
    Mailbox ann = new Mailbox("ann.lee@brand.example");
    return new Recipients(
        new TreeSet<>(List.of(ann)),
        Map.of(ANN, ann.address()),
        List.of(new MappingDecision(ANN, "users-api", Optional.of(ann), ann.address())));
  }

  static Recipients noRecipients() {
    return new Recipients(new TreeSet<>(), Map.of(), List.of());
  }

  static Participant participant(String id, Role role, String name, int joinedAt) {
    return new Participant(
        id,
        role,
        name,
        role == Role.AGENT ? Optional.of(id + "@login") : Optional.empty(),
        Optional.empty(),
        Optional.of(at(joinedAt)),
        Optional.empty());
  }

  static Message text(long seq, int at, String who, Role role, String text) {
    return msg(seq, at, who, role, MessageType.TEXT_PLAIN, text).build();
  }

  static ConversationEvent event(int at, Kind kind, String description, String dialog) {
    return new ConversationEvent(at(at), kind, description, dialog);
  }

  static FileReference file(String path, String url, String type, String caption) {
    return new FileReference(Optional.ofNullable(path), Optional.ofNullable(url), type, caption);
  }

  static MessageBuilder msg(
      long seq, int at, String who, Role role, MessageType type, String text) {
    return new MessageBuilder(seq, at, who, role, type, text);
  }

  /** Keeps the fixtures short: only what a case needs differs from the defaults. */
  static final class MessageBuilder {
    private final long seq;
    private final int at;
    private final String who;
    private final Role role;
    private final MessageType type;
    private final String text;
    private String dialog = CONV;
    private Optional<FileReference> file = Optional.empty();
    private Optional<SecureForm> form = Optional.empty();
    private Optional<String> rich = Optional.empty();
    private Optional<String> quick = Optional.empty();
    private boolean agentOnly;
    private String raw = "";

    MessageBuilder(long seq, int at, String who, Role role, MessageType type, String text) {
      this.seq = seq;
      this.at = at;
      this.who = who;
      this.role = role;
      this.type = type;
      this.text = text;
    }

    MessageBuilder dialog(String d) {
      dialog = d;
      return this;
    }

    MessageBuilder file(FileReference f) {
      file = Optional.of(f);
      return this;
    }

    MessageBuilder form(SecureForm f) {
      form = Optional.of(f);
      return this;
    }

    MessageBuilder rich(String json) {
      rich = Optional.of(json);
      return this;
    }

    MessageBuilder quick(String json) {
      quick = Optional.of(json);
      return this;
    }

    MessageBuilder agentOnly() {
      agentOnly = true;
      return this;
    }

    MessageBuilder raw(String json) {
      raw = json;
      return this;
    }

    Message build() {
      return new Message(
          "ms::conv:" + CONV + "::msg:" + seq,
          seq,
          dialog,
          at(at),
          who,
          role,
          type,
          text,
          file,
          form,
          rich,
          quick,
          agentOnly,
          raw);
    }
  }
}
