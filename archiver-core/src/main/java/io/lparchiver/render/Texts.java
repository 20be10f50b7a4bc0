package io.lparchiver.render;

import java.util.regex.Pattern;

/**
 * Normalises untrusted LivePerson strings before they reach a header, a transcript line or HTML.
 * Control characters are made visible rather than dropped, so the transcript stays faithful; the
 * verbatim record is attached as conversation.json anyway.
 */
final class Texts {

  // compiled once: String.replaceAll compiles its pattern on every call, for every name and line
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private static final int CONTROL_PICTURES = 0x2400;
  private static final int SYMBOL_FOR_DELETE = 0x2421;
  private static final char REPLACEMENT = '\uFFFD';

  private Texts() {}

  /**
   * Multi-line text for the transcript: line breaks become {@code \n}, other control characters
   * become their visible Unicode "control picture", broken surrogates become U+FFFD.
   */
  static String clean(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    String lines = s.replace("\r\n", "\n").replace('\r', '\n');
    StringBuilder out = new StringBuilder(lines.length());
    for (int i = 0; i < lines.length(); i++) {
      char c = lines.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < lines.length()
          && Character.isLowSurrogate(lines.charAt(i + 1))) {
        out.append(c).append(lines.charAt(++i));
      } else {
        out.append(cleanChar(c));
      }
    }
    return out.toString();
  }

  private static char cleanChar(char c) {
    if (c == '\n' || c == '\t') {
      return c;
    }
    if (c == '\u0085' || c == '\u2028' || c == '\u2029') {
      return '\n';
    }
    if (c < 0x20) {
      return (char) (CONTROL_PICTURES + c);
    }
    if (c == 0x7F) {
      return (char) SYMBOL_FOR_DELETE;
    }
    if ((c >= 0x80 && c < 0xA0) || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
      return REPLACEMENT;
    }
    return c;
  }

  /**
   * Single-line text (names, attribute values, header values): all whitespace runs become one
   * space.
   */
  static String oneLine(String s) {
    return WHITESPACE.matcher(clean(s)).replaceAll(" ").strip();
  }

  /** {@link #oneLine} cut to at most {@code max} characters, marked with an ellipsis when cut. */
  static String oneLine(String s, int max) {
    String line = oneLine(s);
    if (line.length() <= max) {
      return line;
    }
    int end = max - 1;
    if (Character.isLowSurrogate(line.charAt(end))) {
      end--;
    }
    return line.substring(0, end) + "…";
  }

  /** Escapes text for HTML element content and quoted attribute values. */
  static String html(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }
}
