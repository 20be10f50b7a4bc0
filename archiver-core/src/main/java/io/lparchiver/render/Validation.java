package io.lparchiver.render;

import io.lparchiver.model.Conversation;
import io.lparchiver.model.MessageKey;
import java.util.List;
import java.util.Locale;

/** Checks that the inputs belong together before anything is rendered. */
final class Validation {

  private Validation() {}

  /** Returns the verified SHA-256 of the raw record, lower-case hex. */
  static String check(
      Conversation c, byte[] raw, String sourceSha256, MessageKey key, List<MessageKey> previous)
      throws RenderException {
    String what = "conversation " + key.conversationId() + " v" + key.version() + ": ";
    if (!key.account().equals(c.account())
        || !key.conversationId().equals(c.id())
        || key.channel() != c.channel()) {
      throw new RenderException(
          what
              + "the key does not match the conversation ("
              + Texts.oneLine(c.channel().label() + ":" + c.account() + ":" + c.id(), 200)
              + ")");
    }
    String actual = EmailRenderer.sha256Hex(raw);
    if (sourceSha256 == null || !actual.equals(sourceSha256.toLowerCase(Locale.ROOT))) {
      throw new RenderException(
          what
              + "X-LivePerson-Source-SHA256 would not match conversation.json"
              + " (given "
              + Texts.oneLine(String.valueOf(sourceSha256), 80)
              + ", actual "
              + actual
              + ")");
    }
    int last = 0;
    for (MessageKey p : previous) {
      boolean sameConversation =
          p.account().equals(key.account())
              && p.channel() == key.channel()
              && p.conversationId().equals(key.conversationId());
      if (!sameConversation || p.version() <= last || p.version() >= key.version()) {
        throw new RenderException(
            what
                + "previous versions must be earlier versions of the same "
                + "conversation, oldest first; got "
                + p.messageId());
      }
      last = p.version();
    }
    return actual;
  }
}
