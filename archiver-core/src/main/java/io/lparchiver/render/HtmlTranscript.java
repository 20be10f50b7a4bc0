package io.lparchiver.render;

import static io.lparchiver.render.Texts.html;

import io.lparchiver.render.Transcript.Body;
import io.lparchiver.render.Transcript.DayMark;
import io.lparchiver.render.Transcript.DialogMark;
import io.lparchiver.render.Transcript.Entry;
import io.lparchiver.render.Transcript.EventLine;
import io.lparchiver.render.Transcript.Field;
import io.lparchiver.render.Transcript.MessageLine;
import io.lparchiver.render.Transcript.Section;
import java.util.List;
import java.util.stream.Collectors;

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

  private final StringBuilder out = new StringBuilder(8192);

  private HtmlTranscript() {}

  static String write(Transcript t) {
    HtmlTranscript w = new HtmlTranscript();
    w.out
        .append("<!DOCTYPE html>\n<html><head>")
        .append("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">")
        .append("<title>")
        .append(html(t.title()))
        .append("</title></head>\n")
        .append("<body style=\"margin:0;padding:16px;font-family:'Segoe UI',Arial,sans-serif;")
        .append("font-size:14px;color:#1f1f1f;\">\n")
        .append("<h1 style=\"font-size:18px;margin:0 0 12px 0;\">")
        .append(html(t.title()))
        .append("</h1>\n");
    w.fields(t.facts());
    w.section("Participants", t.participants());
    w.out.append("<h2 style=\"").append(H2).append("\">Transcript</h2>\n").append(WIDE_TABLE);
    w.out.append('\n');
    t.entries().forEach(w::entry);
    w.out.append("</table>\n");
    for (Section s : t.closing()) {
      w.section(s.title(), s.fields());
    }
    w.out.append("</body></html>\n");
    return w.out.toString();
  }

  // Java 17: no pattern matching in switch yet.
  private void entry(Entry e) {
    if (e instanceof DayMark d) {
      wideRow(DAY, html(d.date()));
    } else if (e instanceof DialogMark d) {
      wideRow(DIALOG, html(d.label()));
    } else if (e instanceof EventLine ev) {
      out.append("<tr>")
          .append(cell(TIME, html(ev.time())))
          .append("<td colspan=\"2\" style=\"")
          .append(EVENT)
          .append("\">")
          .append(html(ev.text()))
          .append("</td></tr>\n");
    } else if (e instanceof MessageLine m) {
      message(m);
    }
  }

  private void message(MessageLine m) {
    String speaker =
        "<b>"
            + html(m.speaker())
            + "</b><br><span style=\"color:#666666;font-size:12px;\">"
            + html(m.role() + ", #" + m.seq())
            + "</span>";
    String text = (m.agentOnly() ? AGENT_ONLY_LABEL : "") + body(m.body());
    out.append("<tr")
        .append(m.agentOnly() ? AGENT_ONLY_ROW : "")
        .append(">")
        .append(cell(TIME, html(m.time())))
        .append(cell(SPEAKER, speaker))
        .append(cell(TEXT, text))
        .append("</tr>\n");
  }

  private static String body(Body body) {
    return body.safeHtml().orElseGet(() -> lines(body.lines()));
  }

  private static String lines(List<String> lines) {
    return lines.stream().map(Texts::html).collect(Collectors.joining("<br>\n"));
  }

  private void section(String title, List<Field> fields) {
    out.append("<h2 style=\"").append(H2).append("\">").append(html(title)).append("</h2>\n");
    fields(fields);
  }

  private void fields(List<Field> fields) {
    out.append(TABLE).append('\n');
    for (Field f : fields) {
      String value = lines(List.of(f.value().split("\n", -1)));
      out.append("<tr>")
          .append(cell(LABEL, html(f.label())))
          .append(cell(VALUE, value))
          .append("</tr>\n");
    }
    out.append("</table>\n");
  }

  private void wideRow(String style, String content) {
    out.append("<tr><td colspan=\"3\" style=\"")
        .append(style)
        .append("\">")
        .append(content)
        .append("</td></tr>\n");
  }

  private static String cell(String style, String content) {
    return "<td style=\"" + style + "\">" + content + "</td>";
  }
}
