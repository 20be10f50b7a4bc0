package io.lparchiver.model;

import java.time.Instant;

/**
 * Something that happened in a conversation other than a message, shown inline in the transcript.
 *
 * @param time when
 * @param kind what kind of event
 * @param description a readable, untrusted description (escaped at render time)
 * @param dialogId the dialog it belongs to, may be empty
 */
public record ConversationEvent(Instant time, Kind kind, String description, String dialogId) {

  /** Event kinds. */
  public enum Kind {
    PARTICIPANT_JOINED,
    PARTICIPANT_LEFT,
    TRANSFER,
    SKILL_CHANGE,
    DIALOG_STARTED,
    DIALOG_CLOSED,
    CONVERSATION_CLOSED,
    OTHER
  }
}
