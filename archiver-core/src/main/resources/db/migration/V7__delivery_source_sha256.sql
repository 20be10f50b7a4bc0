-- The SHA-256 of the LivePerson record a copy attaches (conversation.json): a copy re-read by id
-- (repair, retry) has the same content in other bytes than the version's record, and verify and
-- reconcile must compare the copy with what it was given. NULL: not known, the version's counts.
ALTER TABLE deliveries ADD COLUMN source_sha256 TEXT;
