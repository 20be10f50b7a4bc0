package io.lparchiver.state;

import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code externalised_files} table: what each externalised copy left under overflowDir. */
final class ExternalisedFiles {

  private ExternalisedFiles() {}

  /**
   * Records the files of one ledger row, inside the caller's transaction. Rows left by an earlier
   * copy of the same (version, mailbox), whose ledger row was forgotten, are replaced.
   */
  static void insert(Connection c, MessageKey key, Mailbox mailbox, List<ExternalisedFile> files)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "DELETE FROM externalised_files WHERE account = ? AND channel = ?"
                + " AND conversation_id = ? AND version = ? AND mailbox = ?")) {
      StateStore.bindKey(st, key);
      st.setString(5, mailbox.address());
      st.executeUpdate();
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO externalised_files (account, channel, conversation_id, version, mailbox,"
                + " position, file_name, content_type, bytes, sha256, relative_path)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int position = 0;
      for (ExternalisedFile f : files) {
        StateStore.bindKey(st, key);
        st.setString(5, mailbox.address());
        st.setInt(6, ++position);
        st.setString(7, f.fileName());
        st.setString(8, f.contentType());
        st.setLong(9, f.bytes());
        st.setString(10, f.sha256());
        st.setString(11, f.relativePath());
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  /** The files as they go into the delivery's audit entry, so they are chained and signed too. */
  static List<Map<String, Object>> auditDetail(List<ExternalisedFile> files) {
    return files.stream()
        .map(
            f ->
                Map.<String, Object>of(
                    "fileName", f.fileName(), "bytes", f.bytes(), "sha256", f.sha256()))
        .toList();
  }

  static List<ExternalisedFile> of(Connection c, MessageKey key, Mailbox mailbox)
      throws SQLException {
    List<ExternalisedFile> files = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT file_name, content_type, bytes, sha256, relative_path FROM externalised_files"
                + " WHERE account = ? AND channel = ? AND conversation_id = ? AND version = ?"
                + " AND mailbox = ? ORDER BY position")) {
      StateStore.bindKey(st, key);
      st.setString(5, mailbox.address());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          files.add(
              new ExternalisedFile(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getString(4),
                  rs.getString(5)));
        }
      }
    }
    return List.copyOf(files);
  }
}
