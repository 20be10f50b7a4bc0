package io.lparchiver.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lparchiver.model.Sha256;
import java.io.IOException;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

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

  /** Appends one entry inside the caller's transaction and returns it as stored. */
  static AuditEntry append(
      Connection connection, Instant at, String event, String subject, Map<String, ?> detail)
      throws SQLException {
    try (Statements statements = new Statements(connection)) {
      return append(statements, at, event, subject, detail);
    }
  }

  /** As {@link #append(Connection, Instant, String, String, Map)}, with reused statements. */
  static AuditEntry append(
      Statements statements, Instant at, String event, String subject, Map<String, ?> detail)
      throws SQLException {
    long seq = 1;
    String prev = GENESIS;
    try (ResultSet rs =
        statements
            .prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            .executeQuery()) {
      if (rs.next()) {
        seq = rs.getLong(1) + 1;
        prev = rs.getString(2);
      }
    }
    String atText = Codec.text(at);
    String detailJson = json(detail);
    PreparedStatement insert =
        statements.prepare(
            "INSERT INTO audit (seq, at, event, subject, detail, prev_hash, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.setLong(1, seq);
    insert.setString(2, atText);
    insert.setString(3, event);
    insert.setString(4, subject);
    insert.setString(5, detailJson);
    insert.setString(6, prev);
    String hash = hash(prev, seq, atText, event, subject, detailJson);
    insert.setString(7, hash);
    insert.executeUpdate();
    return new AuditEntry(seq, atText, event, subject, detailJson, prev, hash);
  }

  /** The UTC day (YYYY-MM-DD) an entry belongs to, from its stored time. */
  static String day(String at) {
    return at.substring(0, 10);
  }

  /**
   * Signs the entry as its day's last one (it is: it was just appended), replacing the day's
   * earlier signature. Inside the caller's transaction.
   */
  static void sign(Connection c, AuditSigner signer, long seq, String at, String hash, Instant now)
      throws SQLException {
    String day = day(at);
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO audit_signatures (day, seq, hash, algorithm, key_id, signature, signed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET seq = excluded.seq,"
                + " hash = excluded.hash, algorithm = excluded.algorithm, key_id = excluded.key_id,"
                + " signature = excluded.signature, signed_at = excluded.signed_at")) {
      st.setString(1, day);
      st.setLong(2, seq);
      st.setString(3, hash);
      st.setString(4, signer.algorithm());
      st.setString(5, signer.keyId());
      st.setString(6, signer.sign(day, seq, hash));
      st.setString(7, Codec.text(now));
      st.executeUpdate();
    }
  }

  /**
   * Signs every day whose last entry is not signed by this key yet: days from before the key was
   * set, a day whose last entry was appended without signing, or everything after a key rotation.
   * Returns the number of days signed.
   */
  static int signPending(Connection c, AuditSigner signer, Instant now) throws SQLException {
    Map<String, AuditSignature> signed = signatureMap(c);
    List<AuditEntry> toSign = new ArrayList<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT a.seq, a.at, a.hash FROM audit a JOIN (SELECT MAX(seq) AS seq FROM audit"
                    + " GROUP BY substr(at, 1, 10)) last ON a.seq = last.seq ORDER BY a.seq");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        AuditEntry e =
            new AuditEntry(rs.getLong(1), rs.getString(2), "", "", "", "", rs.getString(3));
        AuditSignature s = signed.get(day(e.at()));
        if (s == null
            || s.seq() != e.seq()
            || !s.hash().equals(e.hash())
            || !s.keyId().equals(signer.keyId())) {
          toSign.add(e);
        }
      }
    }
    for (AuditEntry e : toSign) {
      sign(c, signer, e.seq(), e.at(), e.hash(), now);
    }
    return toSign.size();
  }

  /**
   * Checks the day signatures against the chain as stored (run {@link #verify} for the chain
   * itself) with the signing key or its public half. Returns the problems, oldest first.
   */
  static List<String> verifySignatures(Connection c, AuditSignatureCheck key) throws SQLException {
    Map<String, Long> lastOfDay = new TreeMap<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT substr(at, 1, 10), MAX(seq) FROM audit GROUP BY substr(at, 1, 10)");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        lastOfDay.put(rs.getString(1), rs.getLong(2));
      }
    }
    Map<Long, String> signedHashes = new HashMap<>();
    for (AuditSignature s : signatureMap(c).values()) {
      hashAt(c, s.seq()).ifPresent(h -> signedHashes.put(s.seq(), h));
    }
    return signatureProblems(lastOfDay, signedHashes, signatureMap(c).values(), key);
  }

  /**
   * The signature problems of a chain, given each day's last seq, the stored hash of each signed
   * seq (absent: the entry is gone) and the signatures. Shared by the state and an exported file.
   */
  static List<String> signatureProblems(
      Map<String, Long> lastOfDay,
      Map<Long, String> signedHashes,
      Collection<AuditSignature> signatures,
      AuditSignatureCheck key) {
    List<String> problems = new ArrayList<>();
    Set<String> signedDays = new HashSet<>();
    signatures.forEach(s -> signedDays.add(s.day()));
    for (Map.Entry<String, Long> day : lastOfDay.entrySet()) {
      if (!signedDays.contains(day.getKey())) {
        problems.add(
            "audit day "
                + day.getKey()
                + " (last entry seq "
                + day.getValue()
                + ") has no signature: its signature was removed, or no writer with"
                + " audit.signingKey has opened the state since (run sync once)");
      }
    }
    for (AuditSignature s : signatures) {
      String name = "audit day " + s.day() + " (signed entry seq " + s.seq() + ")";
      Long last = lastOfDay.get(s.day());
      String storedHash = signedHashes.get(s.seq());
      if (!s.keyId().equals(key.keyId()) || !s.algorithm().equals(key.algorithm())) {
        problems.add(
            name
                + ": signed by another key ("
                + s.algorithm()
                + " key id "
                + s.keyId()
                + ", checked with "
                + key.algorithm()
                + " key "
                + key.keyId()
                + "): check with the signing key in use, or run sync once to re-sign with this"
                + " one");
      } else if (!key.matches(s.day(), s.seq(), s.hash(), s.signature())) {
        problems.add(name + ": the signature does not match: the signature row was altered");
      } else if (storedHash == null || last == null || last < s.seq()) {
        problems.add(name + ": the signed entry is missing: entries were removed");
      } else if (!storedHash.equals(s.hash())) {
        problems.add(name + ": the entry no longer has the signed hash: the chain was rewritten");
      } else if (last > s.seq()) {
        problems.add(
            name
                + ": later entries of that day (up to seq "
                + last
                + ") are not covered by the signature");
      }
    }
    return problems;
  }

  /**
   * Compares the ledger with the audit chain's {@code delivery} entries: a row without an entry
   * carrying its SHA-256 and item id was changed or added outside lp-archiver; an entry without its
   * row means the row was removed. SQLite indexes the join on its own (automatic index).
   */
  static List<LedgerDiscrepancy> ledgerDiscrepancies(Connection c) throws SQLException {
    List<LedgerDiscrepancy> out = new ArrayList<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT d.message_id, d.mailbox FROM deliveries d LEFT JOIN audit a"
                    + " ON a.event = 'delivery' AND a.subject = d.message_id || ' ' || d.mailbox"
                    + " AND json_extract(a.detail, '$.emailSha256') = d.email_sha256"
                    + " AND json_extract(a.detail, '$.targetItemId') = d.target_item_id"
                    + " WHERE a.seq IS NULL ORDER BY d.id");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(
            new LedgerDiscrepancy(
                rs.getString(1),
                rs.getString(2),
                "the ledger row's SHA-256 or item id differs from its audit entry, or it has"
                    + " none: the row was changed or added outside lp-archiver"));
      }
    }
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT a.seq, a.subject FROM audit a LEFT JOIN deliveries d"
                    + " ON d.message_id = substr(a.subject, 1, instr(a.subject, ' ') - 1)"
                    + " AND d.mailbox = substr(a.subject, instr(a.subject, ' ') + 1)"
                    + " WHERE a.event = 'delivery' AND d.id IS NULL ORDER BY a.seq");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        String subject = rs.getString(2);
        int space = subject.indexOf(' ');
        out.add(
            new LedgerDiscrepancy(
                space < 0 ? subject : subject.substring(0, space),
                space < 0 ? "" : subject.substring(space + 1),
                "audit entry seq "
                    + rs.getLong(1)
                    + " records this delivery but the ledger row is gone: it was removed"));
      }
    }
    return out;
  }

  /** The stored signatures, by day. */
  static List<AuditSignature> signatures(Connection c) throws SQLException {
    return List.copyOf(signatureMap(c).values());
  }

  private static Map<String, AuditSignature> signatureMap(Connection c) throws SQLException {
    Map<String, AuditSignature> byDay = new TreeMap<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT day, seq, hash, algorithm, key_id, signature FROM audit_signatures"
                    + " ORDER BY day");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        byDay.put(
            rs.getString(1),
            new AuditSignature(
                rs.getString(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6)));
      }
    }
    return byDay;
  }

  private static Optional<String> hashAt(Connection c, long seq) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT hash FROM audit WHERE seq = ?")) {
      st.setLong(1, seq);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Streams every entry in chain order; returns how many. */
  static long entries(Connection c, Consumer<AuditEntry> sink) throws SQLException {
    long n = 0;
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT seq, at, event, subject, detail, prev_hash, hash FROM audit ORDER BY seq");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        sink.accept(
            new AuditEntry(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7)));
        n++;
      }
    }
    return n;
  }

  /** The detail field {@code field} of the newest entry of this event, if any. */
  static Optional<String> lastDetailField(Connection c, String event, String field)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("SELECT detail FROM audit WHERE event = ? ORDER BY seq DESC LIMIT 1")) {
      st.setString(1, event);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        try {
          JsonNode value = JSON.readTree(rs.getString(1)).path(field);
          return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
          return Optional.empty(); // a damaged detail is reported by verify, not here
        }
      }
    }
  }

  /** Walks the whole chain in order and stops at the first broken link. */
  static AuditVerification verify(Connection connection) throws SQLException {
    ChainWalk walk = new ChainWalk();
    Optional<String> broken = Optional.empty();
    try (PreparedStatement all =
            connection.prepareStatement(
                "SELECT seq, at, event, subject, detail, prev_hash, hash FROM audit ORDER BY seq");
        ResultSet rs = all.executeQuery()) {
      while (broken.isEmpty() && rs.next()) {
        broken =
            walk.next(
                new AuditEntry(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7)));
      }
    }
    return new AuditVerification(broken.isEmpty(), walk.entries(), broken);
  }

  /**
   * Checks entries one at a time, in chain order: the state's table and an exported file are
   * checked by the same rules.
   */
  static final class ChainWalk {
    private long entries;
    private long expectedSeq = 1;
    private String prev = GENESIS;

    /** The first problem of this entry, if any; call no further after one. */
    Optional<String> next(AuditEntry e) {
      entries++;
      String name = "seq " + e.seq() + " (" + e.event() + " " + e.subject() + ")";
      if (e.seq() != expectedSeq) {
        return Optional.of(name + ": expected seq " + expectedSeq + ": entries were removed");
      }
      if (!prev.equals(e.prevHash())) {
        return Optional.of(
            name
                + ": prev_hash does not match the entry before it: an earlier entry was"
                + " changed or removed");
      }
      if (!e.hash().equals(hash(prev, e.seq(), e.at(), e.event(), e.subject(), e.detail()))) {
        return Optional.of(name + ": hash does not match the entry: the entry was changed");
      }
      prev = e.hash();
      expectedSeq++;
      return Optional.empty();
    }

    long entries() {
      return entries;
    }
  }

  static String hash(
      String prev, long seq, String at, String event, String subject, String detail) {
    // A JSON array is unambiguous where a plain "a|b|c" join of free text would not be.
    StringWriter canonical = new StringWriter(prev.length() + 64 + detail.length());
    canonical.append(prev).append('|');
    try (JsonGenerator g = JSON.createGenerator(canonical)) {
      g.writeStartArray();
      g.writeNumber(seq);
      g.writeString(at);
      g.writeString(event);
      g.writeString(subject);
      g.writeString(detail);
      g.writeEndArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an audit entry as JSON", e);
    }
    return sha256(canonical.toString());
  }

  /**
   * The canonical JSON of an audit detail: what {@code JSON.writeValueAsString} writes (map keys
   * sorted), written through Jackson's generator directly for the flat maps of strings and numbers
   * that nearly every entry has: the data-binding layer cost more than the hash per entry. Any
   * other value goes through the mapper itself. {@code AuditLogJsonTest} checks both agree.
   */
  static String json(Object value) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(g, value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write audit detail as JSON", e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Object value) throws IOException {
    if (value instanceof String text) {
      g.writeString(text);
    } else if (value instanceof Integer number) {
      g.writeNumber(number);
    } else if (value instanceof Long number) {
      g.writeNumber(number);
    } else if (value instanceof Map<?, ?> map && stringKeys(map)) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : sortedByKey(map)) {
        g.writeFieldName((String) e.getKey());
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) {
        write(g, item);
      }
      g.writeEndArray();
    } else {
      JSON.writeValue(g, value); // null, booleans, anything else: as the mapper writes it
    }
  }

  private static boolean stringKeys(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static Iterable<Map.Entry<?, ?>> sortedByKey(Map<?, ?> map) {
    if (map.size() < 2 || map instanceof SortedMap) { // as Jackson: a sorted map keeps its order
      return (Iterable<Map.Entry<?, ?>>) (Iterable<?>) map.entrySet();
    }
    return (Iterable<Map.Entry<?, ?>>) (Iterable<?>) new TreeMap<>(map).entrySet();
  }

  private static String sha256(String text) {
    return Sha256.of(text);
  }
}
