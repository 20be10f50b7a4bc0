package io.lparchiver.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** SQL for the runs table; runs inside StateStore's transactions. */
final class Runs {

  private Runs() {}

  static void finish(Connection c, long runId, RunSummary s, Instant now) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE runs SET finished_at = ?, conversations = ?, emails = ?, deliveries = ?,"
                + " duplicates = ?, dead_letters = ?, mailboxes = ?, exit_code = ?"
                + " WHERE id = ? AND finished_at IS NULL")) {
      st.setString(1, Codec.text(now));
      st.setInt(2, s.conversations());
      st.setInt(3, s.emails());
      st.setInt(4, s.deliveries());
      st.setInt(5, s.duplicates());
      st.setInt(6, s.deadLetters());
      st.setInt(7, s.mailboxes());
      st.setInt(8, s.exitCode());
      st.setLong(9, runId);
      if (st.executeUpdate() == 0) {
        throw new IllegalArgumentException("run " + runId + " was not started or is finished");
      }
    }
  }

  static Map<String, Object> detail(RunSummary s) {
    return Map.of(
        "conversations", s.conversations(),
        "emails", s.emails(),
        "deliveries", s.deliveries(),
        "duplicates", s.duplicates(),
        "deadLetters", s.deadLetters(),
        "mailboxes", s.mailboxes(),
        "exitCode", s.exitCode());
  }

  static Optional<RunRecord> last(Connection c) throws SQLException {
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT id, command, started_at, finished_at, conversations, emails, deliveries,"
                    + " duplicates, dead_letters, mailboxes, exit_code"
                    + " FROM runs ORDER BY id DESC LIMIT 1");
        ResultSet rs = st.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      Optional<Instant> finished = Optional.ofNullable(rs.getString(4)).map(Codec::instant);
      Optional<RunSummary> summary =
          finished.isEmpty()
              ? Optional.empty()
              : Optional.of(
                  new RunSummary(
                      rs.getInt(5),
                      rs.getInt(6),
                      rs.getInt(7),
                      rs.getInt(8),
                      rs.getInt(9),
                      rs.getInt(10),
                      rs.getInt(11)));
      return Optional.of(
          new RunRecord(
              rs.getLong(1), rs.getString(2), Codec.instant(rs.getString(3)), finished, summary));
    }
  }
}
