package io.lparchiver.model;

import java.util.Arrays;

/**
 * A conversation as fetched: the parsed model plus the record exactly as LivePerson sent it.
 *
 * @param conversation the parsed conversation
 * @param rawRecord the record's JSON bytes verbatim (attached to the email as conversation.json)
 * @param sourceSha256 hex SHA-256 of {@code rawRecord}
 * @param fingerprint hex SHA-256 of the record's canonical content without volatile fields; a new
 *     fingerprint for a known conversation means a new version
 */
public record FetchedConversation(
    Conversation conversation, byte[] rawRecord, String sourceSha256, String fingerprint) {

  public FetchedConversation {
    rawRecord = rawRecord.clone();
  }

  @Override
  public byte[] rawRecord() {
    return rawRecord.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FetchedConversation other
        && conversation.equals(other.conversation)
        && Arrays.equals(rawRecord, other.rawRecord)
        && sourceSha256.equals(other.sourceSha256)
        && fingerprint.equals(other.fingerprint);
  }

  @Override
  public int hashCode() {
    return 31 * conversation.hashCode() + Arrays.hashCode(rawRecord);
  }

  @Override
  public String toString() {
    return "FetchedConversation[" + conversation.channel().label() + ":" + conversation.id() + "]";
  }
}
