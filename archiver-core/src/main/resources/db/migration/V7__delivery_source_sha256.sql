-- The SHA-256 of the LivePerson record a copy attaches (conversation.json), when it is not the
-- version's own: a copy re-read by id (repair, retry) has the same content in other bytes, and
-- verify and reconcile must compare the copy with what it was given. NULL: the version's record.
ALTER TABLE deliveries ADD COLUMN source_sha256 TEXT;
