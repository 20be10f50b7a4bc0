package io.lparchiver.render;

import io.lparchiver.model.FileReference;
import io.lparchiver.model.Message;
import io.lparchiver.model.MessageType;
import io.lparchiver.model.SecureForm;
import io.lparchiver.render.Transcript.Body;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/** What one message shows in the transcript, per LivePerson content type. */
final class MessageContent {

  /**
   * @param body what the transcript shows
   * @param richJsonIncomplete true when rich content had parts the renderer did not understand, so
   *     its JSON must be attached
   */
  record Rendered(Body body, boolean richJsonIncomplete) {}

  // Formatting and links only: no images (no remote content), no styles, no scripts.
  private static final PolicyFactory HTML_POLICY =
      Sanitizers.FORMATTING.and(Sanitizers.BLOCKS).and(Sanitizers.LINKS).and(Sanitizers.TABLES);

  private MessageContent() {}

  static Rendered of(Message m) {
    // Most messages are plain text: their lines are the body as they are, without a list to fill.
    if (m.type() == MessageType.TEXT_PLAIN && m.quickRepliesJson().isEmpty()) {
      return new Rendered(Body.of(Texts.lines(m.text())), false);
    }
    List<String> lines = new ArrayList<>();
    boolean incomplete = false;
    Optional<String> safeHtml = Optional.empty();
    switch (m.type()) {
      case TEXT_PLAIN -> lines.addAll(Texts.lines(m.text()));
      case TEXT_HTML -> {
        lines.addAll(Texts.lines(m.text()));
        safeHtml = Optional.of(HTML_POLICY.sanitize(Texts.clean(m.text())));
      }
      case LINK -> lines.add(reference(m));
      case HOSTED_FILE, IMG -> {
        lines.add(reference(m));
        addTextIfNotCaption(m, lines);
      }
      case SECURE_FORM_INVITATION -> lines.add(form("Secure form invitation", m.form()));
      case SECURE_FORM_SUBMIT -> lines.add(form("Secure form submitted", m.form()));
      case RICH_CONTENT -> incomplete = richContent(m, lines);
      case UNKNOWN -> {
        lines.add("[Message of a type this archiver does not know; its data as received:]");
        lines.addAll(Texts.lines(m.rawMessageData().isEmpty() ? m.text() : m.rawMessageData()));
      }
    }
    m.quickRepliesJson().ifPresent(json -> lines.add(RichContentText.quickReplies(json)));
    return new Rendered(new Body(lines, safeHtml), incomplete);
  }

  /** The line for a shared file or link; also used in the "shared files" section. */
  static String reference(Message m) {
    if (m.file().isEmpty()) {
      return m.type() == MessageType.LINK
          ? "[Link] " + Texts.oneLine(m.text())
          : "[File: no reference in the record]";
    }
    FileReference f = m.file().get();
    String caption = Texts.oneLine(f.caption());
    if (m.type() == MessageType.LINK) {
      return "[Link" + (caption.isEmpty() ? "" : ": " + caption) + "] " + location(f);
    }
    String label = String.join(" ", nonEmpty(caption, fileType(f)));
    return "[File" + (label.isEmpty() ? "" : ": " + label) + "] " + location(f);
  }

  private static boolean richContent(Message m, List<String> lines) {
    if (m.richContentJson().isEmpty()) {
      lines.addAll(Texts.lines(m.text().isEmpty() ? m.rawMessageData() : m.text()));
      return false;
    }
    RichContentText.Result result = RichContentText.card(m.richContentJson().get());
    lines.addAll(result.lines());
    return !result.complete();
  }

  private static String form(String what, Optional<SecureForm> form) {
    if (form.isEmpty()) {
      return "[" + what + "]";
    }
    SecureForm f = form.get();
    String ids = Texts.oneLine(f.formId());
    if (!Texts.oneLine(f.submissionId()).isEmpty()) {
      ids += ", submission " + Texts.oneLine(f.submissionId());
    }
    return "[" + what + ": " + Texts.oneLine(f.formName()) + " (" + ids + ")]";
  }

  private static void addTextIfNotCaption(Message m, List<String> lines) {
    String caption = m.file().map(FileReference::caption).orElse("");
    if (!m.text().isBlank() && !m.text().equals(caption)) {
      lines.addAll(Texts.lines(m.text()));
    }
  }

  private static String location(FileReference f) {
    return Texts.oneLine(f.relativePath().or(f::externalUrl).orElse("(no location given)"));
  }

  private static String fileType(FileReference f) {
    String type = Texts.oneLine(f.fileType());
    return type.isEmpty() ? "" : "(" + type + ")";
  }

  private static List<String> nonEmpty(String... parts) {
    return java.util.Arrays.stream(parts).filter(p -> !p.isEmpty()).toList();
  }
}
