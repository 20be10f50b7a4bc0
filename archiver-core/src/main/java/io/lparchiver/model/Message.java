package io.lparchiver.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of a conversation.
 *
 * @param messageId LivePerson message id (may be empty for legacy chat lines)
 * @param seq sequence number within the conversation (gaps allowed)
 * @param dialogId dialog the message belongs to (MAIN or POST_SURVEY dialog)
 * @param time when it was sent
 * @param participantId who sent it
 * @param senderRole the role of the sender
 * @param type content type
 * @param text the plain text (for HTML messages: the HTML source, escaped at render time)
 * @param file the shared file or link, if any
 * @param form secure form invitation or submission, if any
 * @param richContentJson rich content (structured content) JSON, verbatim
 * @param quickRepliesJson quick replies JSON, verbatim
 * @param agentOnly a line only agents saw (EH {@code ONLY_TO_REP}); labelled, never dropped
 * @param rawMessageData the message's data JSON verbatim, for types the renderer cannot show
 */
public record Message(
    String messageId,
    long seq,
    String dialogId,
    Instant time,
    String participantId,
    Role senderRole,
    MessageType type,
    String text,
    Optional<FileReference> file,
    Optional<SecureForm> form,
    Optional<String> richContentJson,
    Optional<String> quickRepliesJson,
    boolean agentOnly,
    String rawMessageData) {

  public Message {
    messageId = messageId == null ? "" : messageId;
    dialogId = dialogId == null ? "" : dialogId;
    participantId = participantId == null ? "" : participantId;
    text = text == null ? "" : text;
    rawMessageData = rawMessageData == null ? "" : rawMessageData;
  }
}
