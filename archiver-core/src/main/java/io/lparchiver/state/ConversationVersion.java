package io.lparchiver.state;

import io.lparchiver.model.Channel;
import io.lparchiver.model.MessageKey;
import java.time.Instant;
import java.util.Objects;

/**
 * One archived version of a conversation, as the ledger knows it.
 *
 * @param account LivePerson account
 * @param channel messaging or chat
 * @param conversationId conversation or engagement id
 * @param version 1, 2, 3... in the order the fingerprints were first seen
 * @param fingerprint SHA-256 of the record's canonical content
 * @param sourceSha256 SHA-256 of the raw JSON as received
 * @param firstSeen when this version was first recorded
 */
public record ConversationVersion(
    String account,
    Channel channel,
    String conversationId,
    int version,
    String fingerprint,
    String sourceSha256,
    Instant firstSeen) {

  public ConversationVersion {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(sourceSha256, "sourceSha256");
    Objects.requireNonNull(firstSeen, "firstSeen");
    key(account, channel, conversationId, version); // validates ids and version like MessageKey
  }

  /** The Message-ID identity of this version. */
  public MessageKey key() {
    return key(account, channel, conversationId, version);
  }

  private static MessageKey key(String account, Channel channel, String id, int version) {
    return new MessageKey(account, Objects.requireNonNull(channel, "channel"), id, version);
  }
}
