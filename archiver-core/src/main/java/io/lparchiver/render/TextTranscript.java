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

  private final StringBuilder out = new StringBuilder(4096);

  private TextTranscript() {}

  static String write(Transcript t) {
    TextTranscript w = new TextTranscript();
    w.line(t.title());
    // '-' and '*' rather than '=': quoted-printable would turn every '=' into "=3D".
    w.line("-".repeat(Math.min(t.title().length(), 78)));
    w.line("");
    w.fields(t.facts(), "");
    w.section("Participants", t.participants());
    w.line("");
    w.line("Transcript");
    w.line("----------");
    t.entries().forEach(w::entry);
    for (Section s : t.closing()) {
      w.section(s.title(), s.fields());
    }
    return w.out.toString();
  }

  // Java 17: no pattern matching in switch yet.
  private void entry(Entry e) {
    if (e instanceof DayMark d) {
      line("");
      line("*** " + d.date() + " ***");
    } else if (e instanceof DialogMark d) {
      line("*** " + d.label() + " ***");
    } else if (e instanceof EventLine ev) {
      line("[" + ev.time() + "] -- " + ev.text());
    } else if (e instanceof MessageLine m) {
      message(m);
    }
  }

  private void message(MessageLine m) {
    String head =
        "["
            + m.time()
            + "] "
            + (m.agentOnly() ? "[agent-only] " : "")
            + m.speaker()
            + " ("
            + m.role()
            + ", #"
            + m.seq()
            + "):";
    multiLine(head, m.body().lines());
  }

  private void section(String title, List<Field> fields) {
    line("");
    line(title);
    line("-".repeat(Math.min(title.length(), 78)));
    fields(fields, "  ");
  }

  private void fields(List<Field> fields, String indent) {
    for (Field f : fields) {
      List<String> lines = List.of(f.value().split("\n", -1));
      if (f.label().isEmpty()) {
        lines.forEach(l -> line(indent + l));
      } else {
        multiLine(indent + f.label() + ":", lines);
      }
    }
  }

  // First line follows the head; the rest are indented so a reader sees where a message ends.
  private void multiLine(String head, List<String> lines) {
    line(head + " " + lines.get(0));
    for (String l : lines.subList(1, lines.size())) {
      line(INDENT + l);
    }
  }

  private void line(String s) {
    out.append(s).append('\n');
  }
}
