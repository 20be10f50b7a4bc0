package io.lparchiver.source;

import io.lparchiver.model.Channel;
import io.lparchiver.model.FetchedConversation;

/** One record from a source: parsed, or kept raw with the reason it could not be parsed. */
public sealed interface SourceRecord {

  /** A record parsed into the model. */
  record Parsed(FetchedConversation fetched) implements SourceRecord {}

  /**
   * A record the parser rejected. It is dead-lettered with its raw bytes, never dropped.
   *
   * @param channel the channel
   * @param conversationId the id if it could be read, else "unknown"
   * @param raw the record bytes
   * @param reason why it could not be parsed
   */
  record Unparseable(Channel channel, String conversationId, byte[] raw, String reason)
      implements SourceRecord {
    public Unparseable {
      raw = raw.clone();
    }
  }
}
