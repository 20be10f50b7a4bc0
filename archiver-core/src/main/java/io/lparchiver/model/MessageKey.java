package io.lparchiver.model;

import java.util.regex.Pattern;

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

  // LivePerson ids are UUIDs or digits; anything else must not reach a header.
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public MessageKey {
    requireSafe("account", account);
    requireSafe("conversationId", conversationId);
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, was " + version);
    }
  }

  private static void requireSafe(String what, String value) {
    if (value == null || !SAFE_ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " is not a LivePerson id (letters, digits, . _ : - only): " + value);
    }
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
