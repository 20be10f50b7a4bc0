-- Agents and bots whose conversations went to mapping.fallbackMailbox: one row per participant and
-- conversation, so a re-read conversation is not counted twice. The status page groups them.
CREATE TABLE unmapped_participants (
  participant_id  TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  role            TEXT NOT NULL,
  display_name    TEXT NOT NULL,
  seen_at         TEXT NOT NULL,  -- the conversation's start
  PRIMARY KEY (participant_id, conversation_id)
) STRICT;
CREATE INDEX unmapped_participants_seen ON unmapped_participants (seen_at);
