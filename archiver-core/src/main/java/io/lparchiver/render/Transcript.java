package io.lparchiver.render;

import java.util.List;
import java.util.Optional;

/**
 * The transcript as neutral, already-cleaned content. Built once per email, then written both as
 * text and as HTML, so the two alternatives can never disagree about what was said.
 *
 * @param title the first line, e.g. "LivePerson messaging conversation 5b1c..."
 * @param facts the header block (ids, status, times, attributes)
 * @param participants one field per participant: name, then role, id, join and leave times
 * @param entries messages, events and markers in display order
 * @param closing sections after the transcript: surveys, summary, shared files, attachments
 */
record Transcript(
    String title,
    List<Field> facts,
    List<Field> participants,
    List<Entry> entries,
    List<Section> closing) {

  Transcript {
    facts = List.copyOf(facts);
    participants = List.copyOf(participants);
    entries = List.copyOf(entries);
    closing = List.copyOf(closing);
  }

  /** A label and a (possibly multi-line) value. */
  record Field(String label, String value) {}

  /** A titled list of fields. */
  record Section(String title, List<Field> fields) {
    Section {
      fields = List.copyOf(fields);
    }
  }

  /**
   * What a message shows: plain lines, and for HTML messages the sanitised markup the HTML part
   * uses instead of the escaped lines.
   */
  record Body(List<String> lines, Optional<String> safeHtml) {
    Body {
      lines = List.copyOf(lines);
    }

    static Body of(List<String> lines) {
      return new Body(lines, Optional.empty());
    }
  }

  /** One row of the transcript. */
  sealed interface Entry permits DayMark, DialogMark, MessageLine, EventLine {}

  /** The calendar day changes (also before the first row). */
  record DayMark(String date) implements Entry {}

  /** The dialog changes, e.g. from the main dialog to the post-conversation survey. */
  record DialogMark(String label) implements Entry {}

  /** A message. */
  record MessageLine(
      String time, String speaker, String role, long seq, boolean agentOnly, Body body)
      implements Entry {}

  /** A system event such as a join, transfer or close. */
  record EventLine(String time, String text) implements Entry {}
}
