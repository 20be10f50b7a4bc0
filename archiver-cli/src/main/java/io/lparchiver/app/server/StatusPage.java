package io.lparchiver.app.server;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import io.lparchiver.state.DailyActivity;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.RunRecord;
import io.lparchiver.state.UnmappedParticipant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server-rendered status page. Mustache escapes every {@code {{value}}} for HTML, so text from
 * LivePerson (ids, reasons) cannot inject markup; only the chart, built here from numbers, is
 * inserted raw.
 */
public final class StatusPage {

  private static final Template TEMPLATE = compile();

  private StatusPage() {}

  private static Template compile() {
    try (InputStream in = StatusPage.class.getResourceAsStream("status.mustache")) {
      if (in == null) {
        throw new IllegalStateException("status.mustache is missing from the jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return Mustache.compiler().escapeHTML(true).defaultValue("").compile(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param retryEnabled whether {@code POST /retry} accepts requests (a token is configured or the
   *     server is on loopback)
   */
  public static String render(StatusSnapshot s, boolean retryEnabled) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("level", s.health().level().label());
    m.put("reason", s.health().reason());
    m.put("now", Format.time(s.now()));
    m.put("target", s.target());
    m.put("running", s.running());
    m.put("lastRun", s.lastRun().map(StatusPage::run).orElse("none yet"));
    m.put("nextRun", Format.time(s.nextRun(), s.running() ? "after this one" : "not scheduled"));
    m.put("lag", s.lag().map(Format::duration).orElse("no checkpoint yet"));
    m.put("days", days(s.days()));
    m.put("chart", BarChart.svg(s.days()));
    List<DeadLetter> failed = new ArrayList<>();
    List<DeadLetter> unmapped = new ArrayList<>();
    s.deadLetters().forEach(d -> (d.stage().label().equals("map") ? unmapped : failed).add(d));
    m.put("deadLetters", letters(failed));
    m.put("hasDeadLetters", !s.deadLetters().isEmpty());
    m.put("unmapped", letters(unmapped));
    m.put("hasUnmapped", !unmapped.isEmpty());
    m.put("retryEnabled", retryEnabled);
    List<Map<String, Object>> participants = new ArrayList<>();
    for (UnmappedParticipant p : s.unmappedParticipants()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", p.participantId());
      row.put("name", p.displayName());
      row.put("role", p.role());
      row.put("conversations", p.conversations());
      row.put("lastSeen", Format.time(p.lastSeen()));
      participants.add(row);
    }
    m.put("unmappedParticipants", participants);
    m.put("hasUnmappedParticipants", !participants.isEmpty());
    return TEMPLATE.execute(m);
  }

  private static String run(RunRecord r) {
    String when = "#" + r.id() + " started " + Format.time(r.started());
    return r.summary()
        .map(
            s ->
                when
                    + ", finished "
                    + Format.time(r.finished().orElseThrow())
                    + " (exit code "
                    + s.exitCode()
                    + ")")
        .orElse(when + ", not finished");
  }

  private static List<Map<String, Object>> days(List<DailyActivity> days) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = days.size() - 1; i >= 0; i--) { // newest first
      DailyActivity d = days.get(i);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("day", d.day().toString());
      row.put("found", d.found());
      row.put("afterFanOut", d.afterFanOut());
      row.put("imported", d.imported());
      row.put("duplicates", d.duplicates());
      row.put("externalised", d.externalised());
      row.put("failed", d.failed());
      row.put("unmapped", d.unmapped());
      rows.add(row);
    }
    return rows;
  }

  private static List<Map<String, Object>> letters(List<DeadLetter> letters) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DeadLetter d : letters) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("since", Format.time(d.firstAt()));
      row.put("stage", d.stage().label());
      row.put("channel", d.channel().label());
      row.put("conversation", d.conversationId());
      row.put("mailbox", d.mailbox().isEmpty() ? "-" : d.mailbox());
      row.put("attempts", d.attempts());
      row.put("reason", d.reason());
      rows.add(row);
    }
    return rows;
  }
}
