-- lp-archiver state, schema 2: signatures over the audit chain (audit.signingKey).
-- One row per UTC day of audit entries: a keyed signature over that day's last entry hash, so a
-- chain rewritten from some entry on (every hash recomputed) no longer matches what was signed.
-- Neither the key nor anything derived from it without the key is stored: key_id is itself an HMAC.
CREATE TABLE audit_signatures (
  day       TEXT    PRIMARY KEY,                 -- YYYY-MM-DD (UTC) of the entries' "at"
  seq       INTEGER NOT NULL CHECK (seq >= 1),   -- the day's last audit entry when signed
  hash      TEXT    NOT NULL,                    -- that entry's hash
  algorithm TEXT    NOT NULL CHECK (algorithm IN ('HMAC-SHA256')),
  key_id    TEXT    NOT NULL,                    -- which key signed (HMAC of a fixed label)
  signature TEXT    NOT NULL,                    -- hex HMAC over "lp-archiver-audit-day-v1|day|seq|hash"
  signed_at TEXT    NOT NULL
) STRICT;
