-- lp-archiver state, schema 1.
-- Times are ISO-8601 UTC text with 9 fraction digits (fixed width, so text order = time order);
-- StateStore converts them in one place (Codec). Channels, stages and outcomes are lower-case labels.
-- No secrets are stored here: only ids, addresses, hashes and reasons (redacted before insert).

-- One row per conversation version; a new fingerprint adds a row, nothing is overwritten.
CREATE TABLE conversations (
  account            TEXT    NOT NULL,
  channel            TEXT    NOT NULL CHECK (channel IN ('messaging', 'chat')),
  conversation_id    TEXT    NOT NULL,
  version            INTEGER NOT NULL CHECK (version >= 1),
  fingerprint        TEXT    NOT NULL,
  source_sha256      TEXT    NOT NULL,
  conversation_start TEXT,
  first_seen         TEXT    NOT NULL,
  PRIMARY KEY (account, channel, conversation_id, version)
) STRICT;

-- The exactly-once ledger: one row per (conversation version, mailbox), never two.
CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  account         TEXT    NOT NULL,
  channel         TEXT    NOT NULL,
  conversation_id TEXT    NOT NULL,
  version         INTEGER NOT NULL,
  mailbox         TEXT    NOT NULL,
  message_id      TEXT    NOT NULL,
  email_sha256    TEXT    NOT NULL,
  bytes           INTEGER NOT NULL CHECK (bytes >= 0),
  target_type     TEXT    NOT NULL,
  target_item_id  TEXT    NOT NULL,
  outcome         TEXT    NOT NULL CHECK (outcome IN ('delivered', 'found_on_target', 'externalised')),
  delivered_at    TEXT    NOT NULL,
  UNIQUE (account, channel, conversation_id, version, mailbox),
  FOREIGN KEY (account, channel, conversation_id, version)
    REFERENCES conversations (account, channel, conversation_id, version)
) STRICT;
CREATE INDEX deliveries_by_mailbox ON deliveries (mailbox);
CREATE INDEX deliveries_by_message_id ON deliveries (message_id);

-- Typed values: the type column says how value is to be read back.
CREATE TABLE checkpoints (
  name       TEXT PRIMARY KEY,
  type       TEXT NOT NULL CHECK (type IN ('instant')),
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- Resolved rows are kept as history; at most one open row per conversation, stage and mailbox.
CREATE TABLE dead_letters (
  id              INTEGER PRIMARY KEY,
  account         TEXT    NOT NULL,
  channel         TEXT    NOT NULL CHECK (channel IN ('messaging', 'chat')),
  conversation_id TEXT    NOT NULL,
  version         INTEGER NOT NULL CHECK (version >= 0),
  mailbox         TEXT    NOT NULL,
  stage           TEXT    NOT NULL CHECK (stage IN ('fetch', 'parse', 'map', 'render', 'deliver')),
  reason          TEXT    NOT NULL,
  attempts        INTEGER NOT NULL CHECK (attempts >= 1),
  first_at        TEXT    NOT NULL,
  last_at         TEXT    NOT NULL,
  resolved_at     TEXT
) STRICT;
CREATE UNIQUE INDEX dead_letters_open
  ON dead_letters (account, channel, conversation_id, stage, mailbox) WHERE resolved_at IS NULL;
CREATE INDEX dead_letters_by_conversation ON dead_letters (account, channel, conversation_id);

CREATE TABLE runs (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  command       TEXT    NOT NULL,
  started_at    TEXT    NOT NULL,
  finished_at   TEXT,
  conversations INTEGER,
  emails        INTEGER,
  deliveries    INTEGER,
  duplicates    INTEGER,
  dead_letters  INTEGER,
  mailboxes     INTEGER,
  exit_code     INTEGER
) STRICT;

-- Hash chain: hash = SHA-256(prev_hash | canonical row). Append-only; the triggers stop
-- accidental edits, the chain exposes deliberate ones.
CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  event     TEXT NOT NULL,
  subject   TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit is append-only');
END;
