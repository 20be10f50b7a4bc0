package io.lparchiver.state;

import io.lparchiver.model.DeadLetterStage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * SQL for the status page's per-day table and the downloadable log; runs inside StateStore's
 * transactions. Times are fixed-width ISO text, so the first 10 characters are the UTC day.
 */
final class Activity {

  // The run going on at a time: the latest one started at or before it (one writer at a time).
  private static final String RUN_AT =
      "(SELECT r.id FROM runs r WHERE r.started_at <= %s ORDER BY r.id DESC LIMIT 1)";

  private Activity() {}

  static List<DailyActivity> daily(Connection c, LocalDate from, LocalDate to) throws SQLException {
    Map<LocalDate, long[]> days = new TreeMap<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      days.put(d, new long[6]);
    }
    String lo = from.toString();
    String hi = to.toString();
    add(
        c,
        days,
        "SELECT substr(started_at, 1, 10), SUM(conversations), SUM(duplicates) FROM runs"
            + " WHERE finished_at IS NOT NULL AND substr(started_at, 1, 10) BETWEEN ? AND ?"
            + " GROUP BY 1",
        lo,
        hi,
        0,
        2);
    add(
        c,
        days,
        "SELECT substr(delivered_at, 1, 10), SUM(outcome = 'delivered'),"
            + " SUM(outcome = 'externalised') FROM deliveries"
            + " WHERE substr(delivered_at, 1, 10) BETWEEN ? AND ? GROUP BY 1",
        lo,
        hi,
        1,
        3);
    add(
        c,
        days,
        "SELECT substr(first_at, 1, 10), SUM(stage <> 'map'), SUM(stage = 'map')"
            + " FROM dead_letters WHERE substr(first_at, 1, 10) BETWEEN ? AND ? GROUP BY 1",
        lo,
        hi,
        4,
        5);
    List<DailyActivity> out = new ArrayList<>();
    days.forEach((day, v) -> out.add(new DailyActivity(day, v[0], v[1], v[2], v[3], v[4], v[5])));
    return List.copyOf(out);
  }

  /** Adds the query's two sums per day into slots {@code a} and {@code b}. */
  private static void add(
      Connection c, Map<LocalDate, long[]> days, String sql, String lo, String hi, int a, int b)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, lo);
      st.setString(2, hi);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          long[] v = days.get(LocalDate.parse(rs.getString(1)));
          if (v != null) {
            v[a] += rs.getLong(2);
            v[b] += rs.getLong(3);
          }
        }
      }
    }
  }

  /** Every ledger row, then every dead letter (resolved ones too), each oldest first. */
  static long log(Connection c, Consumer<LogEntry> sink) throws SQLException {
    return deliveries(c, sink) + deadLetters(c, sink);
  }

  private static long deliveries(Connection c, Consumer<LogEntry> sink) throws SQLException {
    long n = 0;
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT d.delivered_at, "
                    + String.format(RUN_AT, "d.delivered_at")
                    + ", d.channel, d.conversation_id, d.version, d.mailbox, d.outcome, d.bytes,"
                    + " d.email_sha256, d.target_item_id FROM deliveries d ORDER BY d.id");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        sink.accept(
            new LogEntry(
                Codec.instant(rs.getString(1)),
                runId(rs, 2),
                Codec.channel(rs.getString(3)),
                rs.getString(4),
                rs.getInt(5),
                rs.getString(6),
                LogEntry.Outcome.of(Codec.outcome(rs.getString(7))),
                rs.getLong(8),
                rs.getString(9),
                rs.getString(10),
                ""));
        n++;
      }
    }
    return n;
  }

  private static long deadLetters(Connection c, Consumer<LogEntry> sink) throws SQLException {
    long n = 0;
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT l.last_at, "
                    + String.format(RUN_AT, "l.last_at")
                    + ", l.channel, l.conversation_id, l.version, l.mailbox, l.stage, l.reason,"
                    + " l.attempts, l.resolved_at FROM dead_letters l ORDER BY l.id");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        DeadLetterStage stage = Codec.stage(rs.getString(7));
        String resolved = rs.getString(10);
        String reason =
            stage.label()
                + ": "
                + rs.getString(8)
                + " (attempts "
                + rs.getInt(9)
                + (resolved == null ? ", open)" : ", resolved " + resolved + ")");
        sink.accept(
            new LogEntry(
                Codec.instant(rs.getString(1)),
                runId(rs, 2),
                Codec.channel(rs.getString(3)),
                rs.getString(4),
                rs.getInt(5),
                rs.getString(6),
                stage == DeadLetterStage.MAP ? LogEntry.Outcome.UNMAPPED : LogEntry.Outcome.FAILED,
                0,
                "",
                "",
                reason));
        n++;
      }
    }
    return n;
  }

  private static OptionalLong runId(ResultSet rs, int column) throws SQLException {
    long id = rs.getLong(column);
    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(id);
  }
}
