package io.lparchiver.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one connection, kept for reuse. SQLite parses and plans a statement
 * each time it is prepared (10-20 µs), and a sync runs a dozen or more of the same statements per
 * conversation (version lookup, ledger row, audit head and entry, BEGIN, SAVEPOINT, COMMIT...).
 *
 * <p>Callers bind, execute and close their {@code ResultSet}s (which resets the statement), but
 * never close a statement taken from here. After any {@link SQLException} on the connection call
 * {@link #clear}: sqlite-jdbc may have finalised the failing statement, and a fresh one costs
 * little. Not thread-safe: use it under the lock that guards its connection.
 */
final class Statements implements AutoCloseable {

  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  Statements(Connection connection) {
    this.connection = connection;
  }

  Connection connection() {
    return connection;
  }

  /** The statement for {@code sql}, prepared on first use; do not close it. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement st = prepared.get(sql);
    if (st == null || st.isClosed()) {
      st = connection.prepareStatement(sql);
      prepared.put(sql, st);
    }
    return st;
  }

  /** Runs a statement without parameters or rows (BEGIN, SAVEPOINT, COMMIT, PRAGMA ...). */
  void execute(String sql) throws SQLException {
    prepare(sql).execute();
  }

  /** Closes every kept statement; the next use prepares it again. */
  void clear() {
    for (PreparedStatement st : prepared.values()) {
      try {
        st.close();
      } catch (SQLException e) {
        // already failing or closed: nothing more to release
      }
    }
    prepared.clear();
  }

  @Override
  public void close() {
    clear();
  }
}
