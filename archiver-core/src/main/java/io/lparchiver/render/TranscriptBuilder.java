package io.lparchiver.render;

import io.lparchiver.model.Conversation;
import io.lparchiver.model.ConversationEvent;
import io.lparchiver.model.FileReference;
import io.lparchiver.model.Message;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Role;
import io.lparchiver.model.SharedFile;
import io.lparchiver.model.Survey;
import io.lparchiver.render.Transcript.DayMark;
import io.lparchiver.render.Transcript.DialogMark;
import io.lparchiver.render.Transcript.Entry;
import io.lparchiver.render.Transcript.EventLine;
import io.lparchiver.render.Transcript.Field;
import io.lparchiver.render.Transcript.MessageLine;
import io.lparchiver.render.Transcript.Section;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Builds the neutral {@link Transcript} from a conversation; the writers only lay it out. */
final class TranscriptBuilder {

  /** The transcript and the rich content messages whose JSON must be attached. */
  record Built(Transcript transcript, List<Message> richJsonAttachments) {
    Built {
      richJsonAttachments = List.copyOf(richJsonAttachments);
    }
  }

  /**
   * A message or event on the time line. Rank orders equal times: events that open something
   * (joins, dialog start, transfers) come before the messages of that instant, events that close
   * something (leave, dialog or conversation closed) after them.
   */
  private record Item(Instant time, int rank, Object source) {}

  private static final Comparator<Item> TIME_THEN_RANK =
      (a, b) -> {
        int byTime = a.time().compareTo(b.time());
        return byTime != 0 ? byTime : Integer.compare(a.rank(), b.rank());
      };

  // Role.name().toLowerCase() once, not for every message.
  private static final String[] ROLE_NAMES = roleNames();

  private final Conversation conversation;
  private final MessageKey key;
  private final People people;
  private final Times times;
  private final String sourceSha256;
  private final List<FilePart> files;
  private final Map<String, SharedFile> sharedFiles;

  TranscriptBuilder(
      Conversation conversation,
      MessageKey key,
      People people,
      Times times,
      String sourceSha256,
      List<FilePart> files,
      Map<String, SharedFile> sharedFiles) {
    this.conversation = conversation;
    this.key = key;
    this.people = people;
    this.times = times;
    this.sourceSha256 = sourceSha256;
    this.files = List.copyOf(files);
    this.sharedFiles = Map.copyOf(sharedFiles);
  }

  Built build() throws RenderException {
    List<Message> richJson = new ArrayList<>();
    List<Entry> entries = entries(richJson);
    List<Section> closing = new ArrayList<>();
    conversation.surveys().forEach(s -> closing.add(survey(s)));
    conversation
        .summary()
        .ifPresent(
            s -> closing.add(new Section("Agent summary", List.of(new Field("", clean(s))))));
    closing.add(attachments(richJson));
    String title =
        "LivePerson " + conversation.channel().label() + " conversation " + conversation.id();
    return new Built(new Transcript(title, facts(), participants(), entries, closing), richJson);
  }

  private List<Field> facts() {
    List<Field> facts = new ArrayList<>();
    boolean chat = conversation.channel() == io.lparchiver.model.Channel.CHAT;
    facts.add(new Field(chat ? "Engagement id" : "Conversation id", conversation.id()));
    facts.add(new Field("Account", conversation.account()));
    facts.add(new Field("Channel", conversation.channel().label()));
    facts.add(new Field("Status", Texts.oneLine(conversation.status())));
    if (!conversation.isClosed()) {
      facts.add(
          new Field(
              "Interim snapshot",
              "the conversation was still open when archived; a later version follows when it"
                  + " changes or closes"));
    }
    facts.add(new Field("Start", times.dateTime(conversation.start())));
    facts.add(new Field("End", conversation.end().map(times::dateTime).orElse("(open)")));
    facts.add(new Field("Duration", duration()));
    facts.add(new Field("Messages", messageCount()));
    facts.add(new Field("Archive version", version()));
    for (Map.Entry<String, String> a : conversation.attributes().entrySet()) {
      facts.add(new Field(Texts.oneLine(a.getKey(), 80), Texts.oneLine(a.getValue())));
    }
    facts.add(new Field("Record SHA-256", sourceSha256));
    facts.add(new Field("Times shown in", times.zoneLabel()));
    return facts;
  }

  private String duration() {
    return conversation
        .end()
        .map(end -> Times.duration(Duration.between(conversation.start(), end)))
        .orElse("(open)");
  }

  private String messageCount() {
    int agentOnly = 0;
    for (Message m : conversation.messages()) {
      agentOnly += m.agentOnly() ? 1 : 0;
    }
    int total = conversation.messages().size();
    return agentOnly == 0 ? Integer.toString(total) : total + " (" + agentOnly + " agent-only)";
  }

  private String version() {
    return key.version() == 1
        ? "1"
        : key.version() + " (supersedes version " + (key.version() - 1) + ")";
  }

  private List<Field> participants() throws RenderException {
    List<Field> rows = new ArrayList<>();
    for (Participant p : people.all()) {
      List<String> parts = new ArrayList<>();
      parts.add(role(p.role()));
      parts.add("id " + Texts.oneLine(p.id(), People.MAX_NAME));
      p.loginName()
          .map(Texts::oneLine)
          .filter(s -> !s.isEmpty())
          .ifPresent(l -> parts.add("login " + l));
      parts.add("address " + people.addressOf(p));
      p.joined().ifPresent(t -> parts.add("joined " + times.dateTime(t)));
      p.left().ifPresent(t -> parts.add("left " + times.dateTime(t)));
      rows.add(new Field(People.name(p), String.join(", ", parts)));
    }
    return rows;
  }

  private List<Entry> entries(List<Message> richJson) {
    List<Item> timeline = timeline();
    List<Entry> out = new ArrayList<>(timeline.size() + 8);
    String day = null;
    String dialog = null;
    boolean manyDialogs = hasManyDialogs();
    for (Item item : timeline) {
      String itemDay = times.date(item.time());
      if (!itemDay.equals(day)) {
        out.add(new DayMark(itemDay + " (" + times.zoneLabel() + ")"));
        day = itemDay;
      }
      String itemDialog = dialogOf(item.source());
      if (manyDialogs && !itemDialog.isEmpty() && !itemDialog.equals(dialog)) {
        out.add(new DialogMark(dialogLabel(itemDialog)));
        dialog = itemDialog;
      }
      out.add(entry(item, richJson));
    }
    return out;
  }

  private Entry entry(Item item, List<Message> richJson) {
    if (item.source() instanceof Message m) {
      MessageContent.Rendered rendered = MessageContent.of(m);
      if (rendered.richJsonIncomplete()) {
        richJson.add(m);
      }
      return new MessageLine(
          times.time(m.time()),
          people.name(m.participantId()),
          role(m.senderRole()),
          m.seq(),
          m.agentOnly(),
          rendered.body());
    }
    ConversationEvent e = (ConversationEvent) item.source();
    return new EventLine(times.time(e.time()), event(e));
  }

  private List<Item> timeline() {
    List<Item> items =
        new ArrayList<>(conversation.events().size() + conversation.messages().size());
    conversation.events().forEach(e -> items.add(new Item(e.time(), rank(e.kind()), e)));
    conversation.messages().forEach(m -> items.add(new Item(m.time(), 1, m)));
    // List.sort is stable: equal time and rank keep the order LivePerson gave.
    items.sort(TIME_THEN_RANK);
    return items;
  }

  private static int rank(ConversationEvent.Kind kind) {
    return switch (kind) {
      case PARTICIPANT_LEFT, DIALOG_CLOSED, CONVERSATION_CLOSED -> 2;
      default -> 0;
    };
  }

  /** Whether messages and events name more than one (non-empty) dialog. */
  private boolean hasManyDialogs() {
    String first = "";
    for (Message m : conversation.messages()) {
      String d = m.dialogId();
      if (first.isEmpty()) {
        first = d;
      } else if (!d.isEmpty() && !d.equals(first)) {
        return true;
      }
    }
    for (ConversationEvent e : conversation.events()) {
      String d = e.dialogId();
      if (first.isEmpty()) {
        first = d;
      } else if (!d.isEmpty() && !d.equals(first)) {
        return true;
      }
    }
    return false;
  }

  private static String dialogOf(Object source) {
    return source instanceof Message m ? m.dialogId() : ((ConversationEvent) source).dialogId();
  }

  // MI names the main dialog after the conversation; other dialogs (post-survey) differ.
  private String dialogLabel(String dialogId) {
    String id = Texts.oneLine(dialogId, 128);
    return Objects.equals(dialogId, conversation.id())
        ? "Main dialog " + id
        : "Dialog " + id + " (not the main dialog, e.g. post-conversation survey)";
  }

  private static String event(ConversationEvent e) {
    String description = Texts.oneLine(e.description());
    String kind =
        switch (e.kind()) {
          case PARTICIPANT_JOINED -> "Joined";
          case PARTICIPANT_LEFT -> "Left";
          case TRANSFER -> "Transfer";
          case SKILL_CHANGE -> "Skill change";
          case DIALOG_STARTED -> "Dialog started";
          case DIALOG_CLOSED -> "Dialog closed";
          case CONVERSATION_CLOSED -> "Conversation closed";
          case OTHER -> "Event";
        };
    return description.isEmpty() ? kind : kind + ": " + description;
  }

  private static Section survey(Survey s) {
    String status = Texts.oneLine(s.status());
    // EH surveys (pre-chat, post-chat, operator) have no status
    String title =
        "Survey: " + Texts.oneLine(s.type()) + (status.isEmpty() ? "" : " (" + status + ")");
    List<Field> answers =
        s.answers().stream()
            .map(a -> new Field(Texts.oneLine(a.question()), clean(a.answer())))
            .toList();
    return new Section(title, answers);
  }

  // Same order as the MIME parts: references first, then conversation.json, rich JSON, files.
  private Section attachments(List<Message> richJson) {
    List<Field> rows = new ArrayList<>();
    for (Message m : conversation.messages()) {
      if (m.file().isPresent()) {
        rows.add(
            row(
                rows,
                times.time(m.time()) + " " + people.name(m.participantId()),
                MessageContent.reference(m) + " (message #" + m.seq() + "; " + fileNote(m) + ")"));
      }
    }
    rows.add(
        row(
            rows,
            "attached",
            Attachments.RECORD_NAME
                + ": the LivePerson record as received, SHA-256 "
                + sourceSha256));
    for (Message m : richJson) {
      String what = ": rich content of message #" + m.seq() + ", with parts not shown above";
      rows.add(row(rows, "attached", Attachments.richName(m) + what));
    }
    for (FilePart f : files) {
      String from = f.relativePath().map(p -> ", from " + Texts.oneLine(p)).orElse("");
      rows.add(
          row(
              rows,
              "attached",
              f.name() + " (" + f.size() + " bytes, SHA-256 " + f.sha256() + from + ")"));
    }
    return new Section("Attachments / shared files", rows);
  }

  /** What became of a message's file: attached, gone from LivePerson, or only referenced. */
  private String fileNote(Message m) {
    FileReference f = m.file().orElseThrow();
    SharedFile shared = f.relativePath().map(sharedFiles::get).orElse(null);
    if (shared instanceof SharedFile.Downloaded d) {
      return "attached as " + Attachments.fileName(d.fileName());
    }
    if (shared instanceof SharedFile.Unavailable u) {
      return "NOT ATTACHED: " + Texts.oneLine(u.reason());
    }
    if (f.relativePath().isEmpty() || m.type() == io.lparchiver.model.MessageType.LINK) {
      return "external link, listed, not fetched";
    }
    return "reference only, the file is not attached";
  }

  private static Field row(List<Field> before, String label, String value) {
    return new Field((before.size() + 1) + ". " + label, value);
  }

  private static String role(Role role) {
    return ROLE_NAMES[role.ordinal()];
  }

  private static String[] roleNames() {
    Role[] roles = Role.values();
    String[] names = new String[roles.length];
    for (Role r : roles) {
      names[r.ordinal()] = r.name().toLowerCase(Locale.ROOT);
    }
    return names;
  }

  private static String clean(String s) {
    return Texts.clean(s);
  }
}
