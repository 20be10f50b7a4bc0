package io.lparchiver.model;

/** LivePerson message content types (Messaging Interactions {@code type}, EH {@code textType}). */
public enum MessageType {
  TEXT_PLAIN,
  TEXT_HTML,
  LINK,
  HOSTED_FILE,
  IMG,
  SECURE_FORM_INVITATION,
  SECURE_FORM_SUBMIT,
  RICH_CONTENT,
  /** A type this version does not know: rendered from its raw data, never dropped. */
  UNKNOWN
}
