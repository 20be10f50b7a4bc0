package io.lparchiver.render;

import io.lparchiver.render.Transcript.Body;
import io.lparchiver.render.Transcript.DayMark;
import io.lparchiver.render.Transcript.DialogMark;
import io.lparchiver.render.Transcript.Entry;
import io.lparchiver.render.Transcript.EventLine;
import io.lparchiver.render.Transcript.Field;
import io.lparchiver.render.Transcript.MessageLine;
import io.lparchiver.render.Transcript.Section;
import java.util.List;

/**
 * Writes the transcript as HTML. Inline styles and tables only (Outlook's Word engine drops {@code
 * <style>} blocks and most CSS layout); every string is escaped here, the only markup that is not
 * is the output of the HTML sanitiser for TEXT_HTML messages. No scripts, no images.
 */
final class HtmlTranscript {

  private static final String TABLE = "<table style=\"border-collapse:collapse;\">";
  private static final String WIDE_TABLE = "<table style=\"border-collapse:collapse;width:100%;\">";
  private static final String LABEL =
      "padding:2px 12px 2px 0;color:#555555;vertical-align:top;white-space:nowrap;";
  private static final String VALUE = "padding:2px 0;vertical-align:top;";
  private static final String H2 = "font-size:16px;margin:18px 0 6px 0;";
  private static final String TIME =
      "padding:4px 10px 4px 0;color:#666666;vertical-align:top;white-space:nowrap;"
          + "font-family:Consolas,monospace;font-size:12px;";
  private static final String SPEAKER = "padding:4px 10px 4px 0;vertical-align:top;width:160px;";
  private static final String TEXT = "padding:4px 0;vertical-align:top;";
  private static final String AGENT_ONLY_ROW = " style=\"background-color:#fff4ce;\"";
  private static final String AGENT_ONLY_LABEL =
      "<span style=\"color:#8a5a00;font-weight:bold;\">[agent-only]</span> ";
  private static final String EVENT = "padding:2px 0;color:#6b6b6b;font-style:italic;";
  private static final String DAY =
      "padding:12px 0 4px 0;font-weight:bold;border-bottom:1px solid #cccccc;";
  private static final String DIALOG = "padding:8px 0 4px 0;font-weight:bold;color:#0b5394;";

  // Everything is appended to this one builder, escaped on the way in: no string per cell or line.
  private final StringBuilder out;

  private HtmlTranscript(int entries) {
    out = Texts.utf16Builder(4096 + 500 * entries);
  }

  /** The transcript as its builder, not copied into a {@code String}: it is encoded once. */
  static CharSequence write(Transcript t) {
    HtmlTranscript w = new HtmlTranscript(t.entries().size());
    w.out
        .append("<!DOCTYPE html>\n<html><head>")
        .append("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">")
        .append("<title>");
    w.escaped(t.title())
        .append("</title></head>\n")
        .append("<body style=\"margin:0;padding:16px;font-family:'Segoe UI',Arial,sans-serif;")
        .append("font-size:14px;color:#1f1f1f;\">\n")
        .append("<h1 style=\"font-size:18px;margin:0 0 12px 0;\">");
    w.escaped(t.title()).append("</h1>\n");
    w.fields(t.facts());
    w.section("Participants", t.participants());
    w.out.append("<h2 style=\"").append(H2).append("\">Transcript</h2>\n").append(WIDE_TABLE);
    w.out.append('\n');
    for (Entry e : t.entries()) {
      w.entry(e);
    }
    w.out.append("</table>\n");
    for (Section s : t.closing()) {
      w.section(s.title(), s.fields());
    }
    w.out.append("</body></html>\n");
    return w.out;
  }

  // Java 17: no pattern matching in switch yet.
  private void entry(Entry e) {
    if (e instanceof DayMark d) {
      wideRow(DAY, d.date());
    } else if (e instanceof DialogMark d) {
      wideRow(DIALOG, d.label());
    } else if (e instanceof EventLine ev) {
      out.append("<tr>");
      openCell(TIME);
      escaped(ev.time()).append("</td>");
      out.append("<td colspan=\"2\" style=\"").append(EVENT).append("\">");
      escaped(ev.text()).append("</td></tr>\n");
    } else if (e instanceof MessageLine m) {
      message(m);
    }
  }

  private void message(MessageLine m) {
    out.append("<tr").append(m.agentOnly() ? AGENT_ONLY_ROW : "").append(">");
    openCell(TIME);
    escaped(m.time()).append("</td>");
    openCell(SPEAKER);
    out.append("<b>");
    escaped(m.speaker()).append("</b><br><span style=\"color:#666666;font-size:12px;\">");
    escaped(m.role()).append(", #").append(m.seq()).append("</span></td>");
    openCell(TEXT);
    if (m.agentOnly()) {
      out.append(AGENT_ONLY_LABEL);
    }
    body(m.body());
    out.append("</td></tr>\n");
  }

  // The sanitiser's markup as it is; plain lines escaped, joined by <br>.
  private void body(Body body) {
    if (body.safeHtml().isPresent()) {
      out.append(body.safeHtml().get());
      return;
    }
    List<String> lines = body.lines();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        out.append("<br>\n");
      }
      escaped(lines.get(i));
    }
  }

  private void section(String title, List<Field> fields) {
    out.append("<h2 style=\"").append(H2).append("\">");
    escaped(title).append("</h2>\n");
    fields(fields);
  }

  private void fields(List<Field> fields) {
    out.append(TABLE).append('\n');
    for (Field f : fields) {
      out.append("<tr>");
      openCell(LABEL);
      escaped(f.label()).append("</td>");
      openCell(VALUE);
      Texts.appendHtmlLines(out, f.value());
      out.append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  private void wideRow(String style, String text) {
    out.append("<tr><td colspan=\"3\" style=\"").append(style).append("\">");
    escaped(text).append("</td></tr>\n");
  }

  private void openCell(String style) {
    out.append("<td style=\"").append(style).append("\">");
  }

  private StringBuilder escaped(String text) {
    Texts.appendHtml(out, text);
    return out;
  }
}
