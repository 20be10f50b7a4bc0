-- lp-archiver state, schema 4: the LivePerson-hosted files of each conversation version.
-- One row per (version, relativePath): the SHA-256 of the attached bytes, or why the file is not in
-- the email (LivePerson no longer holds it). A file is never silently missing from the archive.
CREATE TABLE shared_files (
  account         TEXT    NOT NULL,
  channel         TEXT    NOT NULL,
  conversation_id TEXT    NOT NULL,
  version         INTEGER NOT NULL,
  relative_path   TEXT    NOT NULL,
  file_name       TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('attached', 'unavailable')),
  content_type    TEXT    NOT NULL,
  bytes           INTEGER NOT NULL CHECK (bytes >= 0),
  sha256          TEXT    NOT NULL,
  reason          TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  PRIMARY KEY (account, channel, conversation_id, version, relative_path),
  FOREIGN KEY (account, channel, conversation_id, version)
    REFERENCES conversations (account, channel, conversation_id, version)
) STRICT;
CREATE INDEX shared_files_by_sha256 ON shared_files (sha256);
