package io.lparchiver.source;

import io.lparchiver.model.Channel;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One record as read from a source, named by its conversation, parsed only when {@link #parse} is
 * called: a sync parses it on the lane that archives the conversation, so the thread that reads the
 * pages does little more than read them.
 */
public final class PendingRecord {

  private final Channel channel;
  private final String conversationId;
  private final Supplier<SourceRecord> parse;

  private PendingRecord(Channel channel, String conversationId, Supplier<SourceRecord> parse) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.conversationId = Objects.requireNonNull(conversationId, "conversationId");
    this.parse = parse;
  }

  /**
   * A record whose parse is left to the caller of {@link #parse}.
   *
   * @param conversationId the id as the search answer gives it: what keeps a conversation's
   *     versions in order on one lane
   * @param parse parses the record; called once, on any thread
   */
  public static PendingRecord deferred(
      Channel channel, String conversationId, Supplier<SourceRecord> parse) {
    return new PendingRecord(channel, conversationId, Objects.requireNonNull(parse, "parse"));
  }

  /** A record that is parsed already (or could not be). */
  public static PendingRecord parsed(SourceRecord record) {
    if (record instanceof SourceRecord.Parsed p) {
      return new PendingRecord(
          p.fetched().conversation().channel(), p.fetched().conversation().id(), () -> record);
    }
    SourceRecord.Unparseable bad = (SourceRecord.Unparseable) record;
    return new PendingRecord(bad.channel(), bad.conversationId(), () -> record);
  }

  public Channel channel() {
    return channel;
  }

  public String conversationId() {
    return conversationId;
  }

  /** The parsed record, or the reason it cannot be parsed: never throws for bad input. */
  public SourceRecord parse() {
    return parse.get();
  }
}
