package io.lparchiver.state;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.SharedFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The ledger, checkpoints, dead letters, runs and audit chain, in one SQLite file {@code
 * {dir}/lp-archiver.db}.
 *
 * <p>Lifecycle: {@link #open} creates the directory, takes the directory's writer lock (one writing
 * process per state directory), migrates the schema with Flyway and keeps its connections until
 * {@link #close}. {@link #openReadOnly} is for {@code status}-like readers beside a running writer.
 * Thread-safety: every method may be called from any thread. SQLite has one writer: writes take
 * turns on the writer connection, and the writes of the pipeline's lanes ({@link #commitVersion},
 * {@link #recordCopies}, {@link #resolveDeadLetters}) that arrive while one commits share the next
 * commit (group commit), made without an fsync within SQLite's write lock; those that must be
 * durable then flush the WAL themselves, sharing the flush with every write committed before it
 * began ({@link WalFlush}). The lanes' reads ({@link #isDelivered}, {@link #versionsBefore}, {@link
 * #latestVersion}) use a second, read-only connection and do not wait for a commit. Durability:
 * each public write is atomic (its own WAL transaction, or its own savepoint in a shared one),
 * committed with its audit entry when the method returns and durable against a process crash.
 * Against power loss, version rows (with {@link #recordVersion}; after {@link #awaitDurable} with
 * {@link #commitVersion}), checkpoints, runs and most other writes are durable when the method
 * returns; ledger rows, with the hosted files recorded beside them, and unmapped participants
 * become durable with the next such write, because a power loss can only lose the tail of the WAL
 * and the copies those rows described are then found on the target (ADR 0005). Idempotence: {@link
 * #recordDelivery} and {@link #recordVersion} may be repeated safely. Failures are {@link
 * StateStoreException}s naming the file and the fix.
 */
public final class StateStore implements AutoCloseable {

  private final StateDatabase.Handle handle;
  private final Clock clock;
  private final AuditOptions audit;
  private volatile boolean closed;
  private final Object readerLock = new Object(); // the reader connection, one read at a time
  private final Object batchLock = new Object(); // the writes waiting for a group commit
  private final List<Grouped<?>> waiting = new ArrayList<>(); // guarded by batchLock
  private boolean committing; // guarded by batchLock: a thread is committing a group
  // the hot statements of each connection, reused; guarded by the lock of their connection
  private final Statements writerStatements;
  private final Statements readerStatements;
  // makes the durable writes of the group commits durable outside SQLite's write lock; empty for a
  // reader
  private final Optional<WalFlush> walFlush;

  private StateStore(StateDatabase.Handle handle, Clock clock, AuditOptions audit) {
    this.handle = handle;
    this.clock = clock;
    this.audit = audit;
    this.walFlush =
        handle.readOnly()
            ? Optional.empty()
            : Optional.of(new WalFlush(WalFlush.walOf(handle.file())));
    this.writerStatements = new Statements(handle.connection());
    this.readerStatements =
        handle.reader() == handle.connection() ? writerStatements : new Statements(handle.reader());
  }

  /** The reusable statements of {@code c}, one of this store's two connections. */
  private Statements statements(Connection c) {
    return c == handle.connection() ? writerStatements : readerStatements;
  }

  /** Opens (creating and migrating when needed) the state in {@code dir} for writing. */
  public static StateStore open(Path dir, Clock clock) {
    return open(dir, clock, AuditOptions.none());
  }

  /**
   * Opens the state for writing with audit signatures and the configuration fingerprint. With a
   * signer, every day not yet signed by it (days from before the key was set, or after a key
   * rotation) is signed now.
   */
  public static StateStore open(Path dir, Clock clock, AuditOptions audit) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(audit, "audit");
    StateStore store = new StateStore(StateDatabase.openWriter(dir), clock, audit);
    if (audit.signer().isPresent()) {
      try {
        store.write(
            "sign the audit trail",
            c -> AuditLog.signPending(c, audit.signer().get(), clock.instant()));
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
    }
    return store;
  }

  /**
   * Opens existing state for reading while a writer may be running; writes then fail. The schema
   * must be current (a writer migrates it).
   */
  public static StateStore openReadOnly(Path dir, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return new StateStore(StateDatabase.openReader(dir), clock, AuditOptions.none());
  }

  /** How many flushes of the WAL the durable group-committed writes made; empty without any. */
  OptionalLong walFlushes() {
    return walFlush.isPresent() ? OptionalLong.of(walFlush.get().flushes()) : OptionalLong.empty();
  }

  /** The group commits not yet flushed, for tests; empty for a reader. */
  OptionalLong unflushedCommits() {
    return walFlush.isPresent()
        ? OptionalLong.of(walFlush.get().unflushed())
        : OptionalLong.empty();
  }

  /** The database file, for messages and {@code status}. */
  public Path file() {
    return handle.file();
  }

  // ---- conversation versions

  public Optional<ConversationVersion> latestVersion(
      String account, Channel channel, String conversationId) {
    requireIds(account, channel, conversationId);
    return readBeside("read the latest version", c -> latest(c, account, channel, conversationId));
  }

  /**
   * Returns the version for this fingerprint, and whether this call recorded it: the latest if its
   * fingerprint matches, else inserts latest+1 (1 when new). Going back to an earlier content makes
   * a new version too: nothing is overwritten and the mailbox shows the history in order.
   */
  public RecordedVersion recordVersion(
      String account,
      Channel channel,
      String conversationId,
      String fingerprint,
      String sourceSha256,
      Instant conversationStart) {
    CommittedVersion committed =
        commitVersion(
            account, channel, conversationId, fingerprint, sourceSha256, conversationStart);
    awaitDurable(committed);
    return committed.recorded();
  }

  /**
   * {@link #recordVersion}, returning once the version is committed, before it is durable against
   * power loss: the caller renders meanwhile and calls {@link #awaitDurable} before it writes
   * anything that names the version to a mailbox (its number is in the Message-ID, ADR 0005).
   */
  public CommittedVersion commitVersion(
      String account,
      Channel channel,
      String conversationId,
      String fingerprint,
      String sourceSha256,
      Instant conversationStart) {
    requireIds(account, channel, conversationId);
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(sourceSha256, "sourceSha256");
    Committed<RecordedVersion> committed =
        commitGrouped(
            "record a conversation version",
            c -> {
              Optional<ConversationVersion> latest = latest(c, account, channel, conversationId);
              if (latest.isPresent() && latest.get().fingerprint().equals(fingerprint)) {
                return new RecordedVersion(latest.get(), false);
              }
              ConversationVersion next =
                  new ConversationVersion(
                      account,
                      channel,
                      conversationId,
                      latest.map(v -> v.version() + 1).orElse(1),
                      fingerprint,
                      sourceSha256,
                      clock.instant());
              insertVersion(c, next, conversationStart);
              audit(
                  c,
                  next.firstSeen(),
                  "version",
                  next.key().messageId(),
                  Map.of("fingerprint", fingerprint, "sourceSha256", sourceSha256));
              return new RecordedVersion(next, true);
            });
    return new CommittedVersion(committed.result(), committed.commit());
  }

  /**
   * Returns once {@code version} is durable against power loss, and with it every write committed
   * before it (a flush of the WAL, shared with the other lanes' versions; none when one that began
   * after it has ended). A version already on disk from an earlier run is waited for too: the run
   * that recorded it may have ended between its commit and its flush.
   */
  public void awaitDurable(CommittedVersion version) {
    wal("make a version durable").awaitDurable(version.commit());
  }

  /** Earlier versions of the key's conversation, oldest first, for In-Reply-To/References. */
  public List<MessageKey> versionsBefore(MessageKey key) {
    if (key.version() == 1) {
      return List.of(); // nothing comes before the first version: no query
    }
    return readBeside(
        "read earlier versions",
        c -> {
          List<MessageKey> keys = new ArrayList<>();
          PreparedStatement st =
              statements(c)
                  .prepare(
                      "SELECT version FROM conversations WHERE account = ? AND channel = ?"
                          + " AND conversation_id = ? AND version < ? ORDER BY version");
          bindKey(st, key);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              keys.add(
                  new MessageKey(key.account(), key.channel(), key.conversationId(), rs.getInt(1)));
            }
          }
          return List.copyOf(keys);
        });
  }

  // ---- reconciliation

  /** The latest version of every conversation of a channel that started in {@code [from, to)}. */
  public synchronized Map<String, ConversationVersion> latestVersionsStarted(
      String account, Channel channel, Instant from, Instant to) {
    return read(
        "read versions in a range",
        c -> {
          Map<String, ConversationVersion> out = new java.util.TreeMap<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT conversation_id, version, fingerprint, source_sha256, first_seen"
                      + " FROM conversations WHERE account = ? AND channel = ?"
                      + " AND conversation_start >= ? AND conversation_start < ?"
                      + " ORDER BY conversation_id, version")) {
            st.setString(1, account);
            st.setString(2, Codec.label(channel));
            st.setString(3, Codec.text(from));
            st.setString(4, Codec.text(to));
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.put(
                    rs.getString(1),
                    new ConversationVersion(
                        account,
                        channel,
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getString(4),
                        Codec.instant(rs.getString(5))));
              }
            }
          }
          return out;
        });
  }

  /**
   * Removes the ledger row of a copy that is no longer on the target (deleted there), so that the
   * next sync of its range delivers it again. The removal is in the audit trail with the row's
   * values; returns false when there was no row.
   */
  public synchronized boolean forgetDelivery(MessageKey key, Mailbox mailbox, String reason) {
    return write(
        "forget a delivery",
        c -> {
          String sha;
          String item;
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT email_sha256, target_item_id FROM deliveries WHERE account = ?"
                      + " AND channel = ? AND conversation_id = ? AND version = ? AND mailbox = ?")) {
            bindKey(st, key);
            st.setString(5, mailbox.address());
            try (ResultSet rs = st.executeQuery()) {
              if (!rs.next()) {
                return false;
              }
              sha = rs.getString(1);
              item = rs.getString(2);
            }
          }
          try (PreparedStatement st =
              c.prepareStatement(
                  "DELETE FROM deliveries WHERE account = ? AND channel = ? AND conversation_id = ?"
                      + " AND version = ? AND mailbox = ?")) {
            bindKey(st, key);
            st.setString(5, mailbox.address());
            st.executeUpdate();
          }
          AuditLog.append(
              c,
              clock.instant(),
              "delivery-forgotten",
              key.messageId() + " " + mailbox,
              Map.of(
                  "mailbox",
                  mailbox.address(),
                  "emailSha256",
                  sha,
                  "targetItemId",
                  item,
                  "reason",
                  Codec.redact(reason)));
          return true;
        });
  }

  /** Appends an event to the hash-chained audit trail (e.g. a reconcile's result). */
  public synchronized void audit(String event, String subject, Map<String, ?> detail) {
    write(
        "append to the audit trail",
        c -> {
          AuditLog.append(c, clock.instant(), event, subject, detail);
          return null;
        });
  }

  // ---- shared files

  /**
   * Records what became of each LivePerson-hosted file of a version (hash, or why it is missing),
   * with an audit event each. A file already recorded for the version is left as it is.
   */
  public void recordSharedFiles(MessageKey key, List<SharedFile> files) {
    recordCopies(key, files, List.of());
  }

  private void insertSharedFiles(Connection c, MessageKey key, List<SharedFile> files, Instant at)
      throws SQLException {
    for (SharedFile file : files) {
      SharedFileRecord r = SharedFileRecord.of(file, at);
      PreparedStatement st =
          statements(c)
              .prepare(
                  "INSERT INTO shared_files (account, channel, conversation_id, version,"
                      + " relative_path, file_name, status, content_type, bytes, sha256,"
                      + " reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING");
      bindKey(st, key);
      st.setString(5, r.relativePath());
      st.setString(6, r.fileName());
      st.setString(7, r.status().label());
      st.setString(8, r.contentType());
      st.setLong(9, r.bytes());
      st.setString(10, r.sha256());
      st.setString(11, Codec.redact(r.reason()));
      st.setString(12, Codec.text(at));
      if (st.executeUpdate() == 0) {
        continue;
      }
      AuditLog.append(
          c,
          at,
          "shared-file",
          key.messageId() + " " + r.relativePath(),
          Map.of(
              "status", r.status().label(),
              "sha256", r.sha256(),
              "bytes", r.bytes(),
              "reason", Codec.redact(r.reason())));
    }
  }

  /** The hosted files recorded for a version, by path. */
  public synchronized List<SharedFileRecord> sharedFiles(MessageKey key) {
    return read(
        "read shared files",
        c -> {
          List<SharedFileRecord> rows = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT relative_path, file_name, status, content_type, bytes, sha256, reason,"
                      + " recorded_at FROM shared_files WHERE account = ? AND channel = ?"
                      + " AND conversation_id = ? AND version = ? ORDER BY relative_path")) {
            bindKey(st, key);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                rows.add(
                    new SharedFileRecord(
                        rs.getString(1),
                        rs.getString(2),
                        SharedFileRecord.Status.valueOf(
                            rs.getString(3).toUpperCase(java.util.Locale.ROOT)),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getString(6),
                        rs.getString(7),
                        Codec.instant(rs.getString(8))));
              }
            }
          }
          return List.copyOf(rows);
        });
  }

  // ---- ledger

  public boolean isDelivered(MessageKey key, Mailbox mailbox) {
    return readBeside(
        "read the ledger",
        c -> {
          PreparedStatement st =
              statements(c)
                  .prepare(
                      "SELECT 1 FROM deliveries WHERE account = ? AND channel = ?"
                          + " AND conversation_id = ? AND version = ? AND mailbox = ?");
          bindKey(st, key);
          st.setString(5, mailbox.address());
          try (ResultSet rs = st.executeQuery()) {
            return rs.next();
          }
        });
  }

  /**
   * Inserts the ledger row; returns false (and changes nothing) if this (key, mailbox) row exists.
   * The version must have been recorded by {@link #recordVersion} first.
   */
  public boolean recordDelivery(DeliveryRecord record) {
    return recordDelivery(record, List.of());
  }

  /**
   * Inserts the ledger row with the parts of the copy stored under {@code archive.overflowDir}
   * (outcome {@code externalised}), in one transaction; their hashes are also in the audit entry.
   * Returns false (and changes nothing) if this (key, mailbox) row exists.
   */
  public boolean recordDelivery(DeliveryRecord record, List<ExternalisedFile> externalised) {
    CopyRecord copy = new CopyRecord(record, externalised);
    return writeGrouped(
        "record a delivery",
        false,
        c -> {
          requireVersion(c, record.key());
          return insertCopy(c, copy);
        });
  }

  /**
   * Records what became of a version's hosted files ({@link #recordSharedFiles}) and the ledger
   * rows of its copies ({@link #recordDelivery}) in one commit: the pipeline calls it once a
   * conversation's copies are durable, so a conversation costs the lanes one commit here, not one
   * per copy. Atomic: all of it or, on failure, none. Rows that exist are left as they are. Durable
   * against power loss with the next durable commit, the hosted files like the ledger rows: a lost
   * tail of the WAL takes both, and the next run, finding the copies on the target, downloads and
   * records the files again (ADR 0005).
   */
  public void recordCopies(MessageKey key, List<SharedFile> files, List<CopyRecord> copies) {
    Objects.requireNonNull(key, "key");
    List<SharedFile> sharedFiles = List.copyOf(files);
    List<CopyRecord> rows = List.copyOf(copies);
    for (CopyRecord copy : rows) {
      if (!copy.delivery().key().equals(key)) {
        throw new IllegalArgumentException(
            "a copy of " + copy.delivery().key() + " recorded with the files of " + key);
      }
    }
    if (sharedFiles.isEmpty() && rows.isEmpty()) {
      return; // nothing to write: no commit for the lanes to wait on
    }
    Instant at = clock.instant();
    writeGrouped(
        rows.isEmpty() ? "record shared files" : "record deliveries",
        false,
        c -> {
          requireVersion(c, key);
          insertSharedFiles(c, key, sharedFiles, at);
          for (CopyRecord copy : rows) {
            insertCopy(c, copy);
          }
          return null;
        });
  }

  /** Inserts a ledger row with its overflow files and audit entry; false if the row exists. */
  private boolean insertCopy(Connection c, CopyRecord copy) throws SQLException {
    DeliveryRecord record = copy.delivery();
    List<ExternalisedFile> files = copy.externalised();
    if (insertDelivery(c, record) == 0) {
      return false;
    }
    Map<String, Object> detail = new TreeMap<>(); // in the audit's key order already
    detail.put("mailbox", record.mailbox().address());
    detail.put("emailSha256", record.emailSha256());
    detail.put("bytes", record.bytes());
    detail.put("targetType", record.targetType());
    detail.put("targetItemId", record.targetItemId());
    detail.put("outcome", Codec.label(record.outcome()));
    if (!files.isEmpty()) {
      ExternalisedFiles.insert(c, record.key(), record.mailbox(), files);
      detail.put("externalised", ExternalisedFiles.auditDetail(files));
    }
    audit(c, record.at(), "delivery", record.key().messageId() + " " + record.mailbox(), detail);
    return true;
  }

  /** The overflow files recorded with this ledger row, in message order; empty when none. */
  public synchronized List<ExternalisedFile> externalisedFiles(MessageKey key, Mailbox mailbox) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(mailbox, "mailbox");
    return read("read the overflow files", c -> ExternalisedFiles.of(c, key, mailbox));
  }

  /** The ledger rows of one conversation version, by mailbox. */
  public synchronized List<DeliveryRecord> deliveries(MessageKey key) {
    return read(
        "read the ledger",
        c -> {
          List<DeliveryRecord> rows = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT mailbox, email_sha256, bytes, target_type, target_item_id, outcome,"
                      + " delivered_at, source_sha256 FROM deliveries WHERE account = ? AND channel = ?"
                      + " AND conversation_id = ? AND version = ? ORDER BY mailbox")) {
            bindKey(st, key);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                rows.add(
                    new DeliveryRecord(
                        key,
                        new Mailbox(rs.getString(1)),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        Codec.outcome(rs.getString(6)),
                        Codec.instant(rs.getString(7)),
                        rs.getString(8)));
              }
            }
          }
          return List.copyOf(rows);
        });
  }

  /**
   * Up to {@code limit} ledger rows after row {@code afterId}, in ledger order, delivered in [from,
   * to) when given; page with the last row's id.
   */
  public synchronized List<LedgerRow> ledgerPage(
      long afterId, int limit, Optional<Instant> from, Optional<Instant> to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    return read(
        "read the ledger",
        c -> {
          List<LedgerRow> rows = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT d.id, d.account, d.channel, d.conversation_id, d.version, d.mailbox,"
                      + " d.email_sha256, d.bytes, d.target_type, d.target_item_id, d.outcome,"
                      + " d.delivered_at, coalesce(d.source_sha256, v.source_sha256)"
                      + " FROM deliveries d JOIN conversations v"
                      + " ON v.account = d.account AND v.channel = d.channel"
                      + " AND v.conversation_id = d.conversation_id AND v.version = d.version"
                      + " WHERE d.id > ? AND d.delivered_at >= ? AND d.delivered_at < ?"
                      + " ORDER BY d.id LIMIT ?")) {
            st.setLong(1, afterId);
            st.setString(2, from.map(Codec::text).orElse(""));
            st.setString(3, to.map(Codec::text).orElse("~")); // '~' sorts after any time text
            st.setInt(4, limit);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                MessageKey key =
                    new MessageKey(
                        rs.getString(2),
                        Codec.channel(rs.getString(3)),
                        rs.getString(4),
                        rs.getInt(5));
                rows.add(
                    new LedgerRow(
                        rs.getLong(1),
                        new DeliveryRecord(
                            key,
                            new Mailbox(rs.getString(6)),
                            rs.getString(7),
                            rs.getLong(8),
                            rs.getString(9),
                            rs.getString(10),
                            Codec.outcome(rs.getString(11)),
                            Codec.instant(rs.getString(12))),
                        rs.getString(13)));
              }
            }
          }
          return List.copyOf(rows);
        });
  }

  /** The Message-IDs the ledger has delivered into this mailbox (any time). */
  public synchronized Set<String> deliveredMessageIds(Mailbox mailbox) {
    Objects.requireNonNull(mailbox, "mailbox");
    return read(
        "read the ledger",
        c -> {
          Set<String> ids = new HashSet<>();
          try (PreparedStatement st =
              c.prepareStatement("SELECT message_id FROM deliveries WHERE mailbox = ?")) {
            st.setString(1, mailbox.address());
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
          }
          return Collections.unmodifiableSet(ids);
        });
  }

  // ---- checkpoints

  public synchronized Optional<Instant> instantCheckpoint(String name) {
    requireName(name);
    return read(
        "read a checkpoint",
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT type, value FROM checkpoints WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              if (!"instant".equals(rs.getString(1))) {
                throw new IllegalStateException(
                    "checkpoint " + name + " holds a " + rs.getString(1) + ", not an instant");
              }
              return Optional.of(Codec.instant(rs.getString(2)));
            }
          }
        });
  }

  public synchronized void saveCheckpoint(String name, Instant value) {
    requireName(name);
    Objects.requireNonNull(value, "value");
    write(
        "save a checkpoint",
        c -> {
          Instant now = clock.instant();
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT INTO checkpoints (name, type, value, updated_at) VALUES (?, 'instant', ?, ?)"
                      + " ON CONFLICT (name) DO UPDATE SET type = excluded.type,"
                      + " value = excluded.value, updated_at = excluded.updated_at")) {
            st.setString(1, name);
            st.setString(2, Codec.text(value));
            st.setString(3, Codec.text(now));
            st.executeUpdate();
          }
          audit(c, now, "checkpoint", name, Map.of("value", Codec.text(value)));
          return null;
        });
  }

  // ---- unmapped participants

  /**
   * Notes that an agent or bot of {@code conversationId} mapped to no mailbox, so the conversation
   * went to the fallback mailbox. Idempotent per (participant, conversation).
   */
  public void recordUnmapped(
      String participantId, String role, String displayName, String conversationId, Instant seen) {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(seen, "seen");
    writeGrouped(
        "record an unmapped participant",
        false, // a hint for the status page: durable with the next durable commit
        c -> {
          PreparedStatement st =
              statements(c)
                  .prepare(
                      "INSERT INTO unmapped_participants"
                          + " (participant_id, conversation_id, role, display_name, seen_at)"
                          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (participant_id, conversation_id)"
                          + " DO UPDATE SET role = excluded.role,"
                          + " display_name = excluded.display_name, seen_at = excluded.seen_at");
          st.setString(1, participantId);
          st.setString(2, conversationId);
          st.setString(3, Objects.requireNonNullElse(role, ""));
          st.setString(4, Objects.requireNonNullElse(displayName, ""));
          st.setString(5, Codec.text(seen));
          st.executeUpdate();
          return null;
        });
  }

  /** Unmapped agents and bots, most conversations first, then most recently seen. */
  public synchronized List<UnmappedParticipant> unmappedParticipants(int limit) {
    return read(
        "read unmapped participants",
        c -> {
          List<UnmappedParticipant> out = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT participant_id, count(*), max(seen_at),"
                      + " (SELECT u2.role FROM unmapped_participants u2"
                      + "  WHERE u2.participant_id = u.participant_id ORDER BY u2.seen_at DESC"
                      + "  LIMIT 1),"
                      + " (SELECT u2.display_name FROM unmapped_participants u2"
                      + "  WHERE u2.participant_id = u.participant_id ORDER BY u2.seen_at DESC"
                      + "  LIMIT 1)"
                      + " FROM unmapped_participants u GROUP BY participant_id"
                      + " ORDER BY count(*) DESC, max(seen_at) DESC, participant_id LIMIT ?")) {
            st.setInt(1, limit);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new UnmappedParticipant(
                        rs.getString(1),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(2),
                        Codec.instant(rs.getString(3))));
              }
            }
          }
          return out;
        });
  }

  // ---- dead letters

  /**
   * Records a failure: a new open row, or on the open row for the same conversation, stage and
   * mailbox: attempts+1, the last reason, the last time (and the version when known).
   */
  public synchronized void deadLetter(DeadLetter letter) {
    Objects.requireNonNull(letter, "letter");
    DeadLetter stored = withReason(letter, Codec.redact(letter.reason()));
    write(
        "record a dead letter",
        c -> {
          int attempts = DeadLetters.upsert(c, stored);
          audit(
              c,
              stored.lastAt(),
              "dead_letter",
              subject(stored.account(), stored.channel(), stored.conversationId()),
              Map.of(
                  "stage", Codec.label(stored.stage()),
                  "version", stored.version(),
                  "mailbox", stored.mailbox(),
                  "reason", stored.reason(),
                  "attempts", attempts));
          return null;
        });
  }

  /** Closes every open dead letter of the conversation, e.g. when a retry delivered it. */
  public void resolveDeadLetters(String account, Channel channel, String conversationId) {
    requireIds(account, channel, conversationId);
    // nearly every conversation has none: then no write, which would make its group's commit FULL
    if (!readBeside(
        "read dead letters",
        c -> DeadLetters.anyOpen(statements(c), account, channel, conversationId))) {
      return;
    }
    writeGrouped(
        "resolve dead letters",
        true,
        c -> {
          Instant now = clock.instant();
          int resolved = DeadLetters.resolve(c, account, channel, conversationId, now);
          if (resolved > 0) {
            audit(
                c,
                now,
                "dead_letter_resolved",
                subject(account, channel, conversationId),
                Map.of("resolved", resolved));
          }
          return null;
        });
  }

  /** Open dead letters, oldest first. */
  public synchronized List<DeadLetter> openDeadLetters() {
    return read("read dead letters", DeadLetters::open);
  }

  // ---- runs

  public synchronized long startRun(String command) {
    String safe = Codec.redact(Objects.requireNonNull(command, "command"));
    return write(
        "start a run",
        c -> {
          Instant now = clock.instant();
          long id;
          try (PreparedStatement st =
              c.prepareStatement(
                  "INSERT INTO runs (command, started_at) VALUES (?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            st.setString(1, safe);
            st.setString(2, Codec.text(now));
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
              keys.next();
              id = keys.getLong(1);
            }
          }
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("command", safe);
          if (audit.configFingerprint().isPresent()) {
            String current = audit.configFingerprint().get();
            Optional<String> previous = AuditLog.lastDetailField(c, "run_start", "config");
            if (previous.isPresent() && !previous.get().equals(current)) {
              audit(
                  c,
                  now,
                  "config_change",
                  "run " + id,
                  Map.of("previous", previous.get(), "config", current));
            }
            detail.put("config", current);
          }
          audit(c, now, "run_start", "run " + id, detail);
          return id;
        });
  }

  public synchronized void finishRun(long runId, RunSummary summary) {
    Objects.requireNonNull(summary, "summary");
    write(
        "finish a run",
        c -> {
          Instant now = clock.instant();
          Runs.finish(c, runId, summary, now);
          audit(c, now, "run_finish", "run " + runId, Runs.detail(summary));
          return null;
        });
  }

  public synchronized Optional<RunRecord> lastRun() {
    return read("read the last run", Runs::last);
  }

  // ---- status

  public synchronized LedgerCounts counts() {
    return read(
        "count the ledger",
        c ->
            new LedgerCounts(
                count(
                    c,
                    "SELECT COUNT(*) FROM (SELECT DISTINCT account, channel, conversation_id"
                        + " FROM conversations)"),
                count(c, "SELECT COUNT(*) FROM conversations"),
                count(c, "SELECT COUNT(*) FROM deliveries"),
                count(c, "SELECT COUNT(DISTINCT mailbox) FROM deliveries"),
                count(c, "SELECT COUNT(*) FROM dead_letters WHERE resolved_at IS NULL")));
  }

  /** Mailbox address to ledger rows, sorted by address. */
  public synchronized Map<String, Long> deliveriesPerMailbox() {
    return read(
        "count deliveries per mailbox",
        c -> {
          Map<String, Long> counts = new LinkedHashMap<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT mailbox, COUNT(*) FROM deliveries GROUP BY mailbox ORDER BY mailbox");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              counts.put(rs.getString(1), rs.getLong(2));
            }
          }
          return Collections.unmodifiableMap(counts);
        });
  }

  /** Per UTC day from {@code from} to {@code to} (both included), every day present. */
  public synchronized List<DailyActivity> dailyActivity(LocalDate from, LocalDate to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to " + to + " is before from " + from);
    }
    return read("count activity per day", c -> Activity.daily(c, from, to));
  }

  /**
   * Streams the downloadable log (ledger rows, then dead letters) to {@code sink} inside one read
   * snapshot; returns the number of entries. The sink must not call back into this store.
   */
  public synchronized long exportLog(Consumer<LogEntry> sink) {
    Objects.requireNonNull(sink, "sink");
    return read("export the log", c -> Activity.log(c, sink));
  }

  // ---- audit

  /** Walks the audit hash chain and reports the first broken link. */
  public synchronized AuditVerification verifyAudit() {
    return read("verify the audit chain", AuditLog::verify);
  }

  /**
   * Checks the day signatures against the stored chain with {@code signer} (the configured {@code
   * audit.signingKey}); returns the problems, none when every day is signed by it and matches.
   */
  public synchronized List<String> verifyAuditSignatures(AuditSignatureCheck signer) {
    Objects.requireNonNull(signer, "signer");
    return read("verify the audit signatures", c -> AuditLog.verifySignatures(c, signer));
  }

  /**
   * Ledger rows that disagree with the audit chain's delivery entries (see {@link
   * LedgerDiscrepancy}).
   */
  public synchronized List<LedgerDiscrepancy> ledgerDiscrepancies() {
    return read("compare the ledger with the audit trail", AuditLog::ledgerDiscrepancies);
  }

  /** The stored day signatures, oldest day first. */
  public synchronized List<AuditSignature> auditSignatures() {
    return read("read the audit signatures", AuditLog::signatures);
  }

  /**
   * Streams the audit chain in order inside one read snapshot; returns the number of entries. The
   * sink must not call back into this store.
   */
  public synchronized long exportAudit(Consumer<AuditEntry> sink) {
    Objects.requireNonNull(sink, "sink");
    return read("export the audit trail", c -> AuditLog.entries(c, sink));
  }

  /** Appends an audit entry and, with a signer, signs it as its day's last entry. */
  private void audit(Connection c, Instant at, String event, String subject, Map<String, ?> detail)
      throws SQLException {
    AuditEntry entry = AuditLog.append(statements(c), at, event, subject, detail);
    if (audit.signer().isPresent()) {
      AuditLog.sign(
          c, audit.signer().get(), entry.seq(), entry.at(), entry.hash(), clock.instant());
    }
  }

  @Override
  public synchronized void close() {
    synchronized (readerLock) {
      if (!closed) {
        closed = true;
        readerStatements.close();
        writerStatements.close();
        try {
          handle.close();
        } finally {
          walFlush.ifPresent(WalFlush::close);
        }
      }
    }
  }

  // ---- transactions

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T read(String what, Work<T> work) {
    return transaction(what, "BEGIN", work); // one snapshot for multi-query reads
  }

  /**
   * A read on the reader connection: it does not wait for a write's commit (and fsync) on the
   * writer connection, and sees every write that returned before it began.
   */
  private <T> T readBeside(String what, Work<T> work) {
    if (handle.reader() == handle.connection()) {
      synchronized (this) {
        return read(what, work);
      }
    }
    synchronized (readerLock) {
      return transaction(handle.reader(), what, "BEGIN", work);
    }
  }

  // IMMEDIATE takes the write lock up front, so a read-then-write never fails half way on BUSY.
  private <T> T write(String what, Work<T> work) {
    requireWritable(what);
    return transaction(what, "BEGIN IMMEDIATE", work);
  }

  private void requireWritable(String what) {
    if (handle.readOnly()) {
      throw new IllegalStateException(
          "cannot " + what + ": " + handle.file() + " was opened read-only (openReadOnly)");
    }
  }

  /** One write of a group commit: its work and its outcome. */
  private static final class Grouped<T> {
    final String what;
    final Work<T> work;
    long commit; // guarded by batchLock once done: the commit's number for WalFlush
    T result; // guarded by batchLock once done
    RuntimeException failure; // guarded by batchLock once done
    boolean done; // guarded by batchLock

    Grouped(String what, Work<T> work) {
      this.what = what;
      this.work = work;
    }
  }

  /**
   * A write made together with the writes other threads ask for meanwhile (group commit): the lanes
   * of a sync each record versions and deliveries, and SQLite has one writer, so rather than queue
   * for one fsync each, the writes that arrive while a commit is being made share the next one.
   * Each write runs in its own savepoint, so one that fails changes nothing and the others commit;
   * when the method returns, the write is committed. Commits are {@code synchronous=NORMAL}, and a
   * {@code durable} write returns once a flush of the WAL that began after its commit has ended
   * ({@link WalFlush}): the flush holds no lock, so the lanes' other writes commit meanwhile and
   * the durable ones among them share the next flush. A ledger row (not durable on its own, ADR
   * 0005) becomes durable with the next durable write, and never later.
   */
  private <T> T writeGrouped(String what, boolean durable, Work<T> work) {
    Committed<T> committed = commitGrouped(what, work);
    if (durable) {
      // outside every lock: the other lanes commit meanwhile, and share the next flush
      wal(what).awaitDurable(committed.commit());
    }
    return committed.result();
  }

  /** A group-committed write's result and its commit's number ({@link WalFlush#committed}). */
  private record Committed<T>(T result, long commit) {}

  /** {@link #writeGrouped} up to its commit, without a flush. */
  private <T> Committed<T> commitGrouped(String what, Work<T> work) {
    requireWritable(what);
    Grouped<T> mine = new Grouped<>(what, work);
    boolean interrupted = false;
    synchronized (batchLock) {
      waiting.add(mine);
    }
    while (true) {
      List<Grouped<?>> batch;
      synchronized (batchLock) {
        while (!mine.done && committing) {
          try {
            batchLock.wait();
          } catch (InterruptedException e) {
            interrupted = true; // the write is queued: it must finish before the caller goes on
          }
        }
        if (mine.done) {
          break;
        }
        committing = true; // this thread commits what waits, its own write included
        batch = new ArrayList<>(waiting);
        waiting.clear();
      }
      try {
        commitGroup(batch);
      } finally {
        synchronized (batchLock) {
          committing = false;
          batchLock.notifyAll();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    synchronized (batchLock) {
      if (mine.failure != null) {
        throw mine.failure;
      }
      return new Committed<>(mine.result, mine.commit);
    }
  }

  private WalFlush wal(String what) {
    requireWritable(what);
    return walFlush.orElseThrow(); // every writer has one
  }

  private void commitGroup(List<Grouped<?>> group) {
    Map<Grouped<?>, Object> results = new java.util.IdentityHashMap<>();
    Map<Grouped<?>, RuntimeException> failures = new java.util.IdentityHashMap<>();
    long commit = 0;
    try {
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("the state store " + handle.file() + " is closed");
        }
        Connection c = handle.connection();
        String what = group.get(0).what;
        // no fsync within SQLite's write lock: the callers of the durable writes flush the WAL
        synchronousMode(c, "NORMAL", what);
        try {
          exec(c, "BEGIN IMMEDIATE");
          for (Grouped<?> g : group) {
            exec(c, "SAVEPOINT one_write");
            try {
              results.put(g, g.work.run(c));
              exec(c, "RELEASE one_write");
            } catch (SQLException | RuntimeException e) {
              if (e instanceof SQLException) {
                statements(c).clear(); // the failed statement may be finalised
              }
              exec(c, "ROLLBACK TO one_write");
              exec(c, "RELEASE one_write");
              failures.put(
                  g,
                  e instanceof SQLException sql
                      ? StateDatabase.failure(handle.file(), g.what, sql)
                      : (RuntimeException) e);
            }
          }
          exec(c, "COMMIT");
          commit = walFlush.map(WalFlush::committed).orElse(0L);
        } catch (SQLException e) {
          rollback(c, e);
          throw StateDatabase.failure(handle.file(), what, e);
        } catch (RuntimeException | Error e) {
          rollback(c, e);
          throw e;
        } finally {
          synchronousMode(c, "FULL", what); // the other writes' commits flush within
        }
      }
    } catch (RuntimeException | Error e) {
      results.clear(); // nothing of the group was committed
      RuntimeException failure =
          e instanceof RuntimeException r
              ? r
              : new StateStoreException(
                  "state database " + handle.file() + ": a group of writes failed: " + e, e);
      group.forEach(g -> failures.putIfAbsent(g, failure));
    } finally {
      synchronized (batchLock) {
        for (Grouped<?> g : group) {
          complete(g, results.get(g), failures.get(g), commit);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(
      Grouped<T> g, Object result, RuntimeException failure, long commit) {
    g.commit = commit;
    g.result = (T) result;
    g.failure = failure;
    g.done = true;
  }

  private void synchronousMode(Connection c, String mode, String what) {
    try {
      exec(c, "PRAGMA synchronous = " + mode);
    } catch (SQLException e) {
      throw StateDatabase.failure(handle.file(), what, e);
    }
  }

  private <T> T transaction(String what, String begin, Work<T> work) {
    return transaction(handle.connection(), what, begin, work);
  }

  private <T> T transaction(Connection c, String what, String begin, Work<T> work) {
    if (closed) {
      throw new IllegalStateException("the state store " + handle.file() + " is closed");
    }
    try {
      exec(c, begin);
      T result = work.run(c);
      exec(c, "COMMIT");
      return result;
    } catch (SQLException e) {
      rollback(c, e);
      throw StateDatabase.failure(handle.file(), what, e);
    } catch (RuntimeException e) {
      rollback(c, e);
      throw e;
    }
  }

  private void exec(Connection c, String sql) throws SQLException {
    statements(c).execute(sql);
  }

  private void rollback(Connection c, Throwable cause) {
    if (cause instanceof SQLException) {
      statements(c).clear(); // the failed statement may be finalised: prepare afresh next time
    }
    try {
      exec(c, "ROLLBACK");
    } catch (SQLException e) {
      statements(c).clear();
      cause.addSuppressed(e); // e.g. "no transaction is active" when BEGIN itself failed
    }
  }

  // ---- helpers

  private Optional<ConversationVersion> latest(
      Connection c, String account, Channel channel, String conversationId) throws SQLException {
    PreparedStatement st =
        statements(c)
            .prepare(
                "SELECT version, fingerprint, source_sha256, first_seen FROM conversations"
                    + " WHERE account = ? AND channel = ? AND conversation_id = ?"
                    + " ORDER BY version DESC LIMIT 1");
    st.setString(1, account);
    st.setString(2, Codec.label(channel));
    st.setString(3, conversationId);
    try (ResultSet rs = st.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new ConversationVersion(
              account,
              channel,
              conversationId,
              rs.getInt(1),
              rs.getString(2),
              rs.getString(3),
              Codec.instant(rs.getString(4))));
    }
  }

  private void insertVersion(Connection c, ConversationVersion v, Instant start)
      throws SQLException {
    PreparedStatement st =
        statements(c)
            .prepare(
                "INSERT INTO conversations (account, channel, conversation_id, version,"
                    + " fingerprint, source_sha256, conversation_start, first_seen)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    bindKey(st, v.key());
    st.setString(5, v.fingerprint());
    st.setString(6, v.sourceSha256());
    st.setString(7, start == null ? null : Codec.text(start));
    st.setString(8, Codec.text(v.firstSeen()));
    st.executeUpdate();
  }

  private void requireVersion(Connection c, MessageKey key) throws SQLException {
    PreparedStatement st =
        statements(c)
            .prepare(
                "SELECT 1 FROM conversations WHERE account = ? AND channel = ?"
                    + " AND conversation_id = ? AND version = ?");
    bindKey(st, key);
    try (ResultSet rs = st.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalArgumentException(
            "no conversation version "
                + key.messageId()
                + " in the ledger: call recordVersion"
                + " before recording its deliveries");
      }
    }
  }

  private int insertDelivery(Connection c, DeliveryRecord r) throws SQLException {
    PreparedStatement st =
        statements(c)
            .prepare(
                "INSERT INTO deliveries (account, channel, conversation_id, version, mailbox,"
                    + " message_id, email_sha256, bytes, target_type, target_item_id, outcome,"
                    + " delivered_at, source_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (account, channel, conversation_id, version, mailbox)"
                    + " DO NOTHING");
    bindKey(st, r.key());
    st.setString(5, r.mailbox().address());
    st.setString(6, r.key().messageId());
    st.setString(7, r.emailSha256());
    st.setLong(8, r.bytes());
    st.setString(9, r.targetType());
    st.setString(10, r.targetItemId());
    st.setString(11, Codec.label(r.outcome()));
    st.setString(12, Codec.text(r.at()));
    st.setString(13, r.sourceSha256().isEmpty() ? null : r.sourceSha256());
    return st.executeUpdate();
  }

  /** Binds account, channel, conversation id and version as parameters 1 to 4. */
  static void bindKey(PreparedStatement st, MessageKey key) throws SQLException {
    st.setString(1, key.account());
    st.setString(2, Codec.label(key.channel()));
    st.setString(3, key.conversationId());
    st.setInt(4, key.version());
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** The same id rules as Message-IDs, checked before anything is written. */
  private static void requireIds(String account, Channel channel, String conversationId) {
    Objects.requireNonNull(channel, "channel");
    var unused = new MessageKey(account, channel, conversationId, 1);
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("checkpoint name must not be blank");
    }
  }

  static String subject(String account, Channel channel, String conversationId) {
    return account + "/" + Codec.label(channel) + "/" + conversationId;
  }

  private static DeadLetter withReason(DeadLetter l, String reason) {
    return new DeadLetter(
        l.account(),
        l.channel(),
        l.conversationId(),
        l.version(),
        l.mailbox(),
        l.stage(),
        reason,
        l.attempts(),
        l.firstAt(),
        l.lastAt());
  }
}
