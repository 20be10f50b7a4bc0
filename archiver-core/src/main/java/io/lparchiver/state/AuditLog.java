package io.lparchiver.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tamper-evident audit chain: each entry's hash covers the previous hash and the entry's
 * canonical form, so changing, removing or reordering an entry breaks every later link. Truncating
 * the tail is not detectable from the file alone; anchor the head hash elsewhere (e.g. the run log)
 * when that matters.
 */
final class AuditLog {

  static final String GENESIS = "0".repeat(64);

  // Sorted keys: the stored detail text is the canonical form, whatever map the caller built.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private AuditLog() {}

  /** Appends one entry inside the caller's transaction. */
  static void append(
      Connection connection, Instant at, String event, String subject, Map<String, ?> detail)
      throws SQLException {
    long seq = 1;
    String prev = GENESIS;
    try (PreparedStatement head =
            connection.prepareStatement("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        ResultSet rs = head.executeQuery()) {
      if (rs.next()) {
        seq = rs.getLong(1) + 1;
        prev = rs.getString(2);
      }
    }
    String atText = Codec.text(at);
    String detailJson = json(detail);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO audit (seq, at, event, subject, detail, prev_hash, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, seq);
      insert.setString(2, atText);
      insert.setString(3, event);
      insert.setString(4, subject);
      insert.setString(5, detailJson);
      insert.setString(6, prev);
      insert.setString(7, hash(prev, seq, atText, event, subject, detailJson));
      insert.executeUpdate();
    }
  }

  /** Walks the whole chain in order and stops at the first broken link. */
  static AuditVerification verify(Connection connection) throws SQLException {
    long entries = 0;
    long expectedSeq = 1;
    String prev = GENESIS;
    try (PreparedStatement all =
            connection.prepareStatement(
                "SELECT seq, at, event, subject, detail, prev_hash, hash FROM audit ORDER BY seq");
        ResultSet rs = all.executeQuery()) {
      while (rs.next()) {
        entries++;
        long seq = rs.getLong(1);
        String at = rs.getString(2);
        String event = rs.getString(3);
        String subject = rs.getString(4);
        String name = "seq " + seq + " (" + event + " " + subject + ")";
        Optional<String> broken = Optional.empty();
        if (seq != expectedSeq) {
          broken = Optional.of(name + ": expected seq " + expectedSeq + ": entries were removed");
        } else if (!prev.equals(rs.getString(6))) {
          broken =
              Optional.of(
                  name
                      + ": prev_hash does not match the entry before it: an earlier entry was"
                      + " changed or removed");
        } else if (!rs.getString(7).equals(hash(prev, seq, at, event, subject, rs.getString(5)))) {
          broken = Optional.of(name + ": hash does not match the entry: the entry was changed");
        }
        if (broken.isPresent()) {
          return new AuditVerification(false, entries, broken);
        }
        prev = rs.getString(7);
        expectedSeq++;
      }
    }
    return new AuditVerification(true, entries, Optional.empty());
  }

  static String hash(
      String prev, long seq, String at, String event, String subject, String detail) {
    // A JSON array is unambiguous where a plain "a|b|c" join of free text would not be.
    String canonical = json(List.of(seq, at, event, subject, detail));
    return sha256(prev + "|" + canonical);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write audit detail as JSON", e);
    }
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
