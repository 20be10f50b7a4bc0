package io.lparchiver.connect;

/**
 * The topic format between the two connectors: key {@code {account}:{conversationId}} (a string),
 * value the record's bytes exactly as LivePerson sent them (bytes; use the {@code
 * ByteArrayConverter}), and these headers (strings). The sink re-parses the bytes and trusts no
 * header but the channel, so a record is archived the same whoever produced it.
 */
public final class RecordFormat {

  /** {@code messaging} or {@code chat}: which parser reads the value. Required by the sink. */
  public static final String CHANNEL = "lp.channel";

  public static final String ACCOUNT = "lp.account";
  public static final String CONVERSATION_ID = "lp.conversationId";

  /** SHA-256 of the record's canonical content; a new one for a known id is a new version. */
  public static final String FINGERPRINT = "lp.fingerprint";

  /** SHA-256 of the value bytes. */
  public static final String SOURCE_SHA256 = "lp.sourceSha256";

  /** Conversation start and end (ISO-8601 UTC); the end is absent for an open conversation. */
  public static final String START = "lp.start";

  public static final String END = "lp.end";

  /** Present when the source could not parse the record: why (the sink dead-letters it). */
  public static final String PARSE_ERROR = "lp.parseError";

  /**
   * Headers the sink adds to a record it sends to the dead-letter queue: the stage that refused it
   * ({@code parse}, {@code map}, {@code fetch}, {@code render}, {@code deliver}), why, and the
   * conversation id ({@code unknown} when the record names none).
   */
  public static final String DLQ_PREFIX = "lparchiver.";

  public static final String DLQ_STAGE = DLQ_PREFIX + "stage";
  public static final String DLQ_REASON = DLQ_PREFIX + "reason";
  public static final String DLQ_CONVERSATION = DLQ_PREFIX + "conversationId";

  private RecordFormat() {}

  public static String key(String account, String conversationId) {
    return account + ":" + conversationId;
  }
}
