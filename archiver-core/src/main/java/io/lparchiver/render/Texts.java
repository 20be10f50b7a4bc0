package io.lparchiver.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalises untrusted LivePerson strings before they reach a header, a transcript line or HTML.
 * Control characters are made visible rather than dropped, so the transcript stays faithful; the
 * verbatim record is attached as conversation.json anyway.
 */
final class Texts {

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
    // Most strings need no change: scan first and return them as they are, without a copy.
    int first = firstToClean(s);
    if (first == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    out.append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        // CRLF and a lone CR are both one line break
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
        out.append('\n');
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(cleanChar(c));
      }
    }
    return out.toString();
  }

  /** The index of the first character {@link #clean} changes, or the length if there is none. */
  private static int firstToClean(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t') {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      if (c == '\r' || cleanChar(c) != c) {
        return i;
      }
    }
    return s.length();
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
    return collapseWhitespace(clean(s)).strip();
  }

  /**
   * Each run of space, tab and line feed becomes one space: what the regex {@code \s+} matches in
   * text that {@link #clean} has made (it leaves no CR, vertical tab or form feed). Hand-written
   * because a regex replace per name and line was a measurable share of rendering.
   */
  private static String collapseWhitespace(String s) {
    int first = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\t' || c == '\n' || (c == ' ' && i + 1 < s.length() && isSpace(s.charAt(i + 1)))) {
        first = i;
        break;
      }
    }
    if (first < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    out.append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isSpace(c)) {
        out.append(' ');
        while (i + 1 < s.length() && isSpace(s.charAt(i + 1))) {
          i++;
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n';
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

  /**
   * The lines of {@link #clean cleaned} text, as {@code clean(s).split("\n", -1)} gives them (never
   * empty; a trailing line break gives a last empty line), without the array and the list copies of
   * split.
   */
  static List<String> lines(String s) {
    String text = clean(s);
    int next = text.indexOf('\n');
    if (next < 0) {
      return List.of(text);
    }
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (next >= 0) {
      lines.add(text.substring(start, next));
      start = next + 1;
      next = text.indexOf('\n', start);
    }
    lines.add(text.substring(start));
    return List.copyOf(lines);
  }

  /** Escapes text for HTML element content and quoted attribute values. */
  static String html(String s) {
    int first = firstToEscape(s, 0);
    if (first == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    appendHtml(out, s);
    return out.toString();
  }

  /** {@link #html} appended to {@code out}, without an intermediate string. */
  static void appendHtml(StringBuilder out, String s) {
    int i = firstToEscape(s, 0);
    if (i == s.length()) {
      // a whole string is copied in bulk; a range (below) char by char on Java 17
      out.append(s);
      return;
    }
    int start = 0;
    while (i < s.length()) {
      out.append(s, start, i).append(entity(s.charAt(i)));
      start = i + 1;
      i = firstToEscape(s, start);
    }
    out.append(s, start, s.length());
  }

  /**
   * {@link #html} of each line of {@code s}, the lines joined by {@code <br>} and a line feed; the
   * same as joining the escaped lines of {@code s.split("\n", -1)}, since escaping leaves line
   * feeds alone.
   */
  static void appendHtmlLines(StringBuilder out, String s) {
    int i = firstToEscapeOrBreak(s, 0);
    if (i == s.length()) {
      out.append(s);
      return;
    }
    int start = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      out.append(s, start, i).append(c == '\n' ? "<br>\n" : entity(c));
      start = i + 1;
      i = firstToEscapeOrBreak(s, start);
    }
    out.append(s, start, s.length());
  }

  private static int firstToEscape(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (isHtmlSpecial(s.charAt(i))) {
        return i;
      }
    }
    return s.length();
  }

  private static int firstToEscapeOrBreak(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || isHtmlSpecial(c)) {
        return i;
      }
    }
    return s.length();
  }

  private static boolean isHtmlSpecial(char c) {
    return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'';
  }

  private static String entity(char c) {
    return switch (c) {
      case '&' -> "&amp;";
      case '<' -> "&lt;";
      case '>' -> "&gt;";
      case '"' -> "&quot;";
      case '\'' -> "&#39;";
      default -> throw new IllegalArgumentException("not an HTML special character: " + c);
    };
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * An empty builder of about the transcript's size that already holds UTF-16. Most transcripts
   * have a character outside Latin-1 (a transfer's or a button's arrow, an emoji, a name), and a
   * Latin-1 builder meeting the first one copies itself into a new UTF-16 array of its whole
   * capacity. Output is the same either way; if a JDK reset the coding on {@code setLength(0)} it
   * would only be slower.
   */
  static StringBuilder utf16Builder(int capacity) {
    StringBuilder b = new StringBuilder(1).append('\u2192');
    b.ensureCapacity(capacity);
    b.setLength(0);
    return b;
  }
}
