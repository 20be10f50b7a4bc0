package io.lparchiver.state;

import io.lparchiver.model.Channel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL for the dead_letters table; runs inside StateStore's transactions. */
final class DeadLetters {

  private DeadLetters() {}

  /** Inserts a new open row or counts another attempt on the open one; returns the attempts. */
  static int upsert(Connection c, DeadLetter l) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE dead_letters SET attempts = attempts + 1, reason = ?, last_at = ?,"
                + " version = CASE WHEN ? > 0 THEN ? ELSE version END"
                + " WHERE account = ? AND channel = ? AND conversation_id = ? AND stage = ?"
                + " AND mailbox = ? AND resolved_at IS NULL RETURNING attempts")) {
      update.setString(1, l.reason());
      update.setString(2, Codec.text(l.lastAt()));
      update.setInt(3, l.version());
      update.setInt(4, l.version());
      update.setString(5, l.account());
      update.setString(6, Codec.label(l.channel()));
      update.setString(7, l.conversationId());
      update.setString(8, Codec.label(l.stage()));
      update.setString(9, l.mailbox());
      try (ResultSet rs = update.executeQuery()) {
        if (rs.next()) {
          return rs.getInt(1);
        }
      }
    }
    insert(c, l);
    return l.attempts();
  }

  private static void insert(Connection c, DeadLetter l) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO dead_letters (account, channel, conversation_id, version, mailbox, stage,"
                + " reason, attempts, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      st.setString(1, l.account());
      st.setString(2, Codec.label(l.channel()));
      st.setString(3, l.conversationId());
      st.setInt(4, l.version());
      st.setString(5, l.mailbox());
      st.setString(6, Codec.label(l.stage()));
      st.setString(7, l.reason());
      st.setInt(8, l.attempts());
      st.setString(9, Codec.text(l.firstAt()));
      st.setString(10, Codec.text(l.lastAt()));
      st.executeUpdate();
    }
  }

  static int resolve(
      Connection c, String account, Channel channel, String conversationId, Instant now)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE dead_letters SET resolved_at = ? WHERE account = ? AND channel = ?"
                + " AND conversation_id = ? AND resolved_at IS NULL")) {
      st.setString(1, Codec.text(now));
      st.setString(2, account);
      st.setString(3, Codec.label(channel));
      st.setString(4, conversationId);
      return st.executeUpdate();
    }
  }

  /** Whether the conversation has an open dead letter. */
  static boolean anyOpen(
      Statements statements, String account, Channel channel, String conversationId)
      throws SQLException {
    PreparedStatement st =
        statements.prepare(
            "SELECT 1 FROM dead_letters WHERE account = ? AND channel = ?"
                + " AND conversation_id = ? AND resolved_at IS NULL LIMIT 1");
    st.setString(1, account);
    st.setString(2, Codec.label(channel));
    st.setString(3, conversationId);
    try (ResultSet rs = st.executeQuery()) {
      return rs.next();
    }
  }

  static List<DeadLetter> open(Connection c) throws SQLException {
    List<DeadLetter> letters = new ArrayList<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT account, channel, conversation_id, version, mailbox, stage, reason,"
                    + " attempts, first_at, last_at FROM dead_letters WHERE resolved_at IS NULL"
                    + " ORDER BY first_at, id");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        letters.add(
            new DeadLetter(
                rs.getString(1),
                Codec.channel(rs.getString(2)),
                rs.getString(3),
                rs.getInt(4),
                rs.getString(5),
                Codec.stage(rs.getString(6)),
                rs.getString(7),
                rs.getInt(8),
                Codec.instant(rs.getString(9)),
                Codec.instant(rs.getString(10))));
      }
    }
    return List.copyOf(letters);
  }
}
