package io.lparchiver.render;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * RFC 2047 encoding that is also applied to ASCII text containing {@code "=?"}: Jakarta Mail leaves
 * such text as it is, and a reader would then decode a LivePerson name such as {@code
 * =?UTF-8?B?...?=} into something else than what LivePerson sent.
 */
final class EncodedWords {

  // 45 UTF-8 bytes -> 60 base64 chars + 12 for "=?UTF-8?B?" and "?=": within RFC 2047's 75.
  private static final int MAX_BYTES = 45;

  private EncodedWords() {}

  static boolean needed(String s) {
    return !Texts.isAscii(s) || s.contains("=?");
  }

  /** B-encoded words separated by spaces, never splitting a character across words. */
  static String encode(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder chunk = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      String ch = new String(Character.toChars(cp));
      int size = ch.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > MAX_BYTES) {
        words.add(word(chunk.toString()));
        chunk.setLength(0);
        bytes = 0;
      }
      chunk.append(ch);
      bytes += size;
      i += Character.charCount(cp);
    }
    if (chunk.length() > 0 || words.isEmpty()) {
      words.add(word(chunk.toString()));
    }
    return String.join(" ", words);
  }

  private static String word(String s) {
    return "=?UTF-8?B?"
        + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8))
        + "?=";
  }
}
