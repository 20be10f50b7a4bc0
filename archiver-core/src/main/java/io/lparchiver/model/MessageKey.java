package io.lparchiver.model;

/**
 * The identity of one conversation version on every target: its deterministic Message-ID, so a
 * redelivery is recognisable everywhere (Maildir index, IMAP SEARCH HEADER, Graph property).
 *
 * @param account LivePerson account
 * @param channel messaging or chat
 * @param conversationId conversation or engagement id
 * @param version 1 for the first archived version, then 2, 3... for later changes
 */
public record MessageKey(String account, Channel channel, String conversationId, int version) {

  // LivePerson ids are UUIDs or digits; anything else must not reach a header. The same rule as
  // the pattern [A-Za-z0-9._:-]{1,128}, checked by hand: a key is made several times per copy.
  private static final int MAX_ID = 128;

  public MessageKey {
    requireSafe("account", account);
    requireSafe("conversationId", conversationId);
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, was " + version);
    }
  }

  private static void requireSafe(String what, String value) {
    if (!isSafe(value)) {
      throw new IllegalArgumentException(
          what + " is not a LivePerson id (letters, digits, . _ : - only): " + value);
    }
  }

  static boolean isSafe(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_ID) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean safe =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!safe) {
        return false;
      }
    }
    return true;
  }

  /** The Message-ID header value, with angle brackets. */
  public String messageId() {
    String prefix = channel == Channel.MESSAGING ? "lp." : "lp.chat.";
    return "<" + prefix + account + "." + conversationId + ".v" + version + "@lp-archiver>";
  }

  /** The key of the previous version, for In-Reply-To/References threading. */
  public MessageKey previous() {
    return new MessageKey(account, channel, conversationId, version - 1);
  }
}
