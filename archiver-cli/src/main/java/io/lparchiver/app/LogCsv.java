package io.lparchiver.app;

import io.lparchiver.state.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes the downloadable log as RFC 4180 CSV: one row per ledger delivery and per dead letter.
 * Reusable by the status page ({@code /log.csv}) and a {@code log export} command.
 */
public final class LogCsv {

  public static final List<String> HEADER =
      List.of(
          "time",
          "run_id",
          "channel",
          "conversation_id",
          "version",
          "mailbox",
          "folder",
          "outcome",
          "bytes",
          "sha256",
          "target_item_id",
          "reason");

  private final Writer out;
  private final String folder;

  /**
   * @param folder the configured target folder, written on every row (the ledger does not keep it
   *     per row)
   */
  public LogCsv(Writer out, String folder) {
    this.out = out;
    this.folder = folder;
  }

  public void header() {
    line(HEADER);
  }

  /** Writes one row; usable as a {@code Consumer<LogEntry>}. */
  public void row(LogEntry e) {
    boolean delivery = e.reason().isEmpty();
    line(
        List.of(
            e.at().toString(),
            e.runId().isPresent() ? Long.toString(e.runId().getAsLong()) : "",
            e.channel().label(),
            e.conversationId(),
            e.version() == 0 ? "" : Integer.toString(e.version()),
            e.mailbox(),
            e.mailbox().isEmpty() ? "" : folder,
            e.outcome().label(),
            delivery ? Long.toString(e.bytes()) : "",
            e.emailSha256(),
            e.targetItemId(),
            e.reason()));
  }

  private void line(List<String> fields) {
    try {
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(quote(fields.get(i)));
      }
      out.write("\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Quotes a field when needed; a leading {@code = + - @} gets a {@code '} so spreadsheets do not
   * run LivePerson-supplied text as a formula.
   */
  static String quote(String field) {
    String f = field;
    if (!f.isEmpty() && "=+-@\t\r".indexOf(f.charAt(0)) >= 0) {
      f = "'" + f;
    }
    if (f.indexOf(',') >= 0
        || f.indexOf('"') >= 0
        || f.indexOf('\n') >= 0
        || f.indexOf('\r') >= 0
        || f.startsWith("'")) {
      return '"' + f.replace("\"", "\"\"") + '"';
    }
    return f;
  }
}
