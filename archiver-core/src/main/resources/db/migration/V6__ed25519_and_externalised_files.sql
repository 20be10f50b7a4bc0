-- lp-archiver state, schema 6.
-- 1. Day signatures may also be Ed25519 (audit.signingKey given as a PKCS#8 PEM private key), so an
--    auditor can check them with the public key alone. SQLite cannot change a CHECK in place: the
--    table is copied; HMAC rows keep their values and stay verifiable with the HMAC key.
CREATE TABLE audit_signatures_v6 (
  day       TEXT    PRIMARY KEY,                 -- YYYY-MM-DD (UTC) of the entries' "at"
  seq       INTEGER NOT NULL CHECK (seq >= 1),   -- the day's last audit entry when signed
  hash      TEXT    NOT NULL,                    -- that entry's hash
  algorithm TEXT    NOT NULL CHECK (algorithm IN ('HMAC-SHA256', 'Ed25519')),
  key_id    TEXT    NOT NULL,                    -- HMAC: HMAC of a fixed label; Ed25519: SHA-256 of the public key
  signature TEXT    NOT NULL,                    -- hex, over "lp-archiver-audit-day-v1|day|seq|hash"
  signed_at TEXT    NOT NULL
) STRICT;
INSERT INTO audit_signatures_v6 (day, seq, hash, algorithm, key_id, signature, signed_at)
  SELECT day, seq, hash, algorithm, key_id, signature, signed_at FROM audit_signatures;
DROP TABLE audit_signatures;
ALTER TABLE audit_signatures_v6 RENAME TO audit_signatures;

-- 2. The parts of a copy stored under archive.overflowDir instead of in the email (ledger outcome
--    'externalised'), with the SHA-256 of each stored file when it was written, so verify can
--    re-hash the file. Written in the same transaction as the ledger row; a copy delivered again
--    after its ledger row was forgotten replaces its rows.
CREATE TABLE externalised_files (
  account         TEXT    NOT NULL,
  channel         TEXT    NOT NULL,
  conversation_id TEXT    NOT NULL,
  version         INTEGER NOT NULL,
  mailbox         TEXT    NOT NULL,
  position        INTEGER NOT NULL CHECK (position >= 1),  -- order of the part in the email
  file_name       TEXT    NOT NULL,
  content_type    TEXT    NOT NULL,
  bytes           INTEGER NOT NULL CHECK (bytes >= 0),
  sha256          TEXT    NOT NULL,
  relative_path   TEXT    NOT NULL,                        -- under archive.overflowDir, '/' separated
  PRIMARY KEY (account, channel, conversation_id, version, mailbox, position)
) STRICT;
