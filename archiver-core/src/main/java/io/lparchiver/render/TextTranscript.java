package io.lparchiver.render;

import io.lparchiver.render.Transcript.DayMark;
import io.lparchiver.render.Transcript.DialogMark;
import io.lparchiver.render.Transcript.Entry;
import io.lparchiver.render.Transcript.EventLine;
import io.lparchiver.render.Transcript.Field;
import io.lparchiver.render.Transcript.MessageLine;
import io.lparchiver.render.Transcript.Section;
import java.util.List;

/** Writes the transcript as text/plain: fixed layout, one message per block, greppable. */
final class TextTranscript {

  private static final String INDENT = "    ";

  // Lines are appended piece by piece to this one builder, not concatenated first.
  private final StringBuilder out;

  private TextTranscript(int entries) {
    out = Texts.utf16Builder(2048 + 120 * entries);
  }

  /** The transcript as its builder, not copied into a {@code String}: it is encoded once. */
  static CharSequence write(Transcript t) {
    TextTranscript w = new TextTranscript(t.entries().size());
    w.line(t.title());
    // '-' and '*' rather than '=': quoted-printable would turn every '=' into "=3D".
    w.line("-".repeat(Math.min(t.title().length(), 78)));
    w.line("");
    w.fields(t.facts(), "");
    w.section("Participants", t.participants());
    w.line("");
    w.line("Transcript");
    w.line("----------");
    for (Entry e : t.entries()) {
      w.entry(e);
    }
    for (Section s : t.closing()) {
      w.section(s.title(), s.fields());
    }
    return w.out;
  }

  // Java 17: no pattern matching in switch yet.
  private void entry(Entry e) {
    if (e instanceof DayMark d) {
      line("");
      out.append("*** ").append(d.date()).append(" ***\n");
    } else if (e instanceof DialogMark d) {
      out.append("*** ").append(d.label()).append(" ***\n");
    } else if (e instanceof EventLine ev) {
      out.append('[').append(ev.time()).append("] -- ").append(ev.text()).append('\n');
    } else if (e instanceof MessageLine m) {
      message(m);
    }
  }

  private void message(MessageLine m) {
    out.append('[').append(m.time()).append("] ");
    if (m.agentOnly()) {
      out.append("[agent-only] ");
    }
    out.append(m.speaker()).append(" (").append(m.role()).append(", #").append(m.seq());
    out.append("): ");
    List<String> lines = m.body().lines();
    out.append(lines.get(0)).append('\n');
    for (int i = 1; i < lines.size(); i++) {
      out.append(INDENT).append(lines.get(i)).append('\n');
    }
  }

  private void section(String title, List<Field> fields) {
    line("");
    line(title);
    line("-".repeat(Math.min(title.length(), 78)));
    fields(fields, "  ");
  }

  // A labelled value's first line follows the label; the rest are indented so a reader sees
  // where it ends. An unlabelled value is a block of lines at the indent.
  private void fields(List<Field> fields, String indent) {
    for (Field f : fields) {
      String value = f.value();
      boolean labelled = !f.label().isEmpty();
      if (labelled) {
        out.append(indent).append(f.label()).append(": ");
      }
      int start = 0;
      int end = value.indexOf('\n');
      while (true) {
        if (start > 0 || !labelled) {
          out.append(labelled ? INDENT : indent);
        }
        out.append(value, start, end < 0 ? value.length() : end).append('\n');
        if (end < 0) {
          break;
        }
        start = end + 1;
        end = value.indexOf('\n', start);
      }
    }
  }

  private void line(String s) {
    out.append(s).append('\n');
  }
}
