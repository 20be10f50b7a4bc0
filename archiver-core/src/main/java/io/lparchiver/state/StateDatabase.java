package io.lparchiver.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Opens the state file: directory, single-writer lock, migrations, durability pragmas. */
final class StateDatabase {

  static final String FILE_NAME = "lp-archiver.db";
  static final String LOCK_NAME = "lp-archiver.lock";
  static final String MIGRATIONS = "classpath:db/migration";
  private static final int BUSY_TIMEOUT_MS = 10_000;

  /**
   * An open connection and, for the writer, the lock that keeps other writers out and a second,
   * read-only connection ({@code reader}; the same one for a read-only handle), so that reads need
   * not wait for a commit's fsync (WAL: readers see every commit made before their read began).
   */
  record Handle(Path file, Connection connection, Connection reader, FileChannel lock) {
    boolean readOnly() {
      return lock == null;
    }

    void close() {
      try {
        if (reader != connection) {
          reader.close();
        }
        connection.close();
      } catch (SQLException e) {
        throw new StateStoreException("cannot close " + file + ": " + e.getMessage(), e);
      } finally {
        closeQuietly(connection);
        closeQuietly(lock);
      }
    }
  }

  private StateDatabase() {}

  static Handle openWriter(Path dir) {
    Path file = prepareDirectory(dir).resolve(FILE_NAME);
    FileChannel lock = lock(dir);
    try {
      if (Files.exists(file) && !Files.isWritable(file)) {
        throw new StateStoreException(
            file + " is not writable: give the user running lp-archiver write access to it.");
      }
      // Ours first: it switches the file to WAL and fails plainly on a file that is not SQLite.
      Connection connection = connect(file, false);
      try {
        checkDurability(file, connection);
        migrate(file);
        return new Handle(file, connection, connect(file, true), lock);
      } catch (RuntimeException e) {
        closeQuietly(connection);
        throw e;
      }
    } catch (RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
  }

  static Handle openReader(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new StateStoreException(
          "no state database at " + file + ": check state.dir, or run 'sync' to create it.");
    }
    Connection connection = connect(file, true);
    try {
      checkSchema(file, flyway(file).info(), true);
    } catch (FlywayException e) {
      closeQuietly(connection);
      throw new StateStoreException(
          "cannot read the schema of " + file + ": " + e.getMessage() + flywayHint(e), e);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
    return new Handle(file, connection, connection, null);
  }

  private static Path prepareDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StateStoreException(
          "cannot create the state directory "
              + dir.toAbsolutePath()
              + " ("
              + e
              + "): set state.dir to a writable directory.",
          e);
    }
    // SQLite creates the -wal and -shm files next to the database.
    if (readOnlyFileSystem(dir)) {
      throw new StateStoreException(
          "the state directory "
              + dir.toAbsolutePath()
              + " is on a read-only file system: remount it read-write (check the system log for"
              + " why it turned read-only), or set state.dir to a writable directory.");
    }
    if (!Files.isWritable(dir)) {
      throw new StateStoreException(
          "the state directory "
              + dir.toAbsolutePath()
              + " is not writable: give the user running lp-archiver write access, or set"
              + " state.dir elsewhere.");
    }
    return dir;
  }

  private static boolean readOnlyFileSystem(Path dir) {
    try {
      return Files.getFileStore(dir).isReadOnly();
    } catch (IOException e) {
      return false; // the writability check that follows reports the directory
    }
  }

  /** One writer per state directory: two would each deliver what the other has not recorded. */
  private static FileChannel lock(Path dir) {
    Path lockFile = dir.resolve(LOCK_NAME);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
    } catch (AccessDeniedException e) {
      throw new StateStoreException(lockFile + " is not writable: fix its permissions.", e);
    } catch (IOException e) {
      throw new StateStoreException("cannot open the lock file " + lockFile + ": " + e, e);
    }
    try {
      FileLock held = channel.tryLock();
      if (held == null) {
        throw inUse(lockFile, channel);
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      return channel;
    } catch (OverlappingFileLockException e) {
      throw inUse(lockFile, channel);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StateStoreException("cannot lock " + lockFile + ": " + e, e);
    }
  }

  private static StateStoreException inUse(Path lockFile, FileChannel channel) {
    String pid = "";
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      pid = "";
    }
    closeQuietly(channel);
    return new StateStoreException(
        "the state directory "
            + lockFile.getParent().toAbsolutePath()
            + " is in use by another lp-archiver"
            + (pid.isEmpty() ? "" : " (pid " + pid + ")")
            + ": stop it first, or read its status page. Two writers on one ledger would"
            + " break exactly-once delivery.");
  }

  private static Flyway flyway(Path file) {
    return Flyway.configure()
        .dataSource(url(file), null, null)
        .locations(MIGRATIONS)
        // A packaging mistake must not look like an empty, freshly migrated database.
        .failOnMissingLocations(true)
        .load();
  }

  private static void migrate(Path file) {
    try {
      Flyway flyway = flyway(file);
      MigrationInfoService info = flyway.info();
      checkSchema(file, info, false);
      // known before migrating: no migration in the jar and none applied (a second info() after
      // migrate scanned the classpath and the history table again for this at every start)
      boolean none = info.all().length == 0;
      flyway.migrate();
      if (none) {
        throw new StateStoreException(
            "no schema migrations found under "
                + MIGRATIONS
                + " for "
                + file
                + ": the lp-archiver jar is incomplete; rebuild it.");
      }
    } catch (FlywayException e) {
      throw new StateStoreException(
          "cannot migrate the state database " + file + ": " + e.getMessage() + flywayHint(e), e);
    }
  }

  private static String flywayHint(FlywayException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("No Flyway database plugin") || message.contains("resolve location")) {
      // Seen with fat jars that drop META-INF/services or directory entries.
      return " (the lp-archiver jar is incomplete: a shaded jar needs the"
          + " ServicesResourceTransformer and the db/migration directory entry; rebuild it)";
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && !hint(sql).isEmpty()) {
        return hint(sql); // a full disk or a read-only file says more than Flyway's wrapper
      }
    }
    return " (if another process holds the file, stop it; if the file is damaged, restore it"
        + " from backup)";
  }

  private static void checkSchema(Path file, MigrationInfoService info, boolean requireCurrent) {
    String future =
        Arrays.stream(info.all())
            .filter(
                m ->
                    m.getState() == MigrationState.FUTURE_SUCCESS
                        || m.getState() == MigrationState.FUTURE_FAILED)
            .map(m -> String.valueOf(m.getVersion()))
            .collect(Collectors.joining(", "));
    if (!future.isEmpty()) {
      throw new StateStoreException(
          file
              + " was written by a newer lp-archiver (schema version "
              + future
              + " is unknown to this one): upgrade lp-archiver, or point state.dir at another"
              + " directory. Do not downgrade a ledger.");
    }
    MigrationInfo[] pending = info.pending();
    if (requireCurrent && pending.length > 0) {
      throw new StateStoreException(
          file + " has an older schema: run 'sync' once with this lp-archiver to migrate it.");
    }
  }

  private static Connection connect(Path file, boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    config.setReadOnly(readOnly);
    if (!readOnly) {
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      // A committed ledger row must survive power loss.
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    }
    try {
      return config.createConnection(url(file));
    } catch (SQLException e) {
      throw failure(file, "open", e);
    }
  }

  private static void checkDurability(Path file, Connection connection) {
    try (Statement st = connection.createStatement()) {
      String journal = pragma(st, "journal_mode");
      String synchronous = pragma(st, "synchronous");
      String foreignKeys = pragma(st, "foreign_keys");
      if (!"wal".equalsIgnoreCase(journal)
          || !"2".equals(synchronous)
          || !"1".equals(foreignKeys)) {
        throw new StateStoreException(
            file
                + " did not accept journal_mode=WAL, synchronous=FULL and foreign_keys=ON (got "
                + journal
                + ", "
                + synchronous
                + ", "
                + foreignKeys
                + "): put state.dir on a local file system.");
      }
    } catch (SQLException e) {
      throw failure(file, "check", e);
    }
  }

  private static String pragma(Statement st, String name) throws SQLException {
    try (var rs = st.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getString(1) : "";
    }
  }

  static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  /** A StateStoreException whose message names the file and the likely fix. */
  static StateStoreException failure(Path file, String what, SQLException e) {
    return new StateStoreException(
        "state database " + file + ": " + what + " failed: " + e.getMessage() + hint(e), e);
  }

  private static String hint(SQLException e) {
    if (!(e instanceof SQLiteException sqlite)) {
      return "";
    }
    SQLiteErrorCode code = sqlite.getResultCode();
    String name = code == null ? "" : code.name();
    if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED")) {
      return " (another process holds the database: stop it and retry)";
    } else if (name.startsWith("SQLITE_READONLY")
        || name.startsWith("SQLITE_CANTOPEN")
        || name.startsWith("SQLITE_PERM")) {
      return " (check that state.dir and its files are writable by this user)";
    } else if (name.startsWith("SQLITE_FULL")) {
      return " (disk full: free space on the file system of state.dir, then run again)";
    } else if (name.startsWith("SQLITE_NOTADB") || name.startsWith("SQLITE_CORRUPT")) {
      return " (the file is not an intact lp-archiver database: restore it from backup)";
    }
    return "";
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Already failing; the first error is the one to report.
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close(); // also releases the lock
    } catch (IOException e) {
      // Nothing more to release; the OS drops the lock with the process anyway.
    }
  }
}
