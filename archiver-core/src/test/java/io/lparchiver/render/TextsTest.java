package io.lparchiver.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Texts} scans and copies by hand where it used a regex, {@code replace} and {@code split};
 * the earlier code is kept here as the reference, and both must agree on random hostile strings.
 */
class TextsTest {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  // whitespace of every kind, line breaks, HTML specials and broken surrogates, densely
  private static final String DENSE =
      " \t\n\r\u000b\f\u0085\u2028\u2029\u00a0\u1680\u2000\u2007\u200a\u202f\u205f\u3000"
          + "\u001c\u001f\u007f\u0080\u009f\ufffe\uffff\ufffd\ud800\udc00&<>\"'ab";

  @Test
  void cleanOneLineLinesAndHtmlAgreeWithTheEarlierCodeOnRandomStrings() {
    Random random = new Random(20261126);
    for (int round = 0; round < 10_000; round++) {
      String s = round % 2 == 0 ? dense(random) : RenderPropertyTest.string(random, 120);

      assertThat(Texts.clean(s)).as("round %d: clean of %s", round, s).isEqualTo(clean(s));
      assertThat(Texts.oneLine(s)).as("round %d: oneLine of %s", round, s).isEqualTo(oneLine(s));
      assertThat(Texts.lines(s))
          .as("round %d: lines of %s", round, s)
          .isEqualTo(List.of(clean(s).split("\n", -1)));
      assertThat(Texts.html(s)).as("round %d: html of %s", round, s).isEqualTo(html(s));
      StringBuilder joined = new StringBuilder("x");
      Texts.appendHtmlLines(joined, s);
      assertThat(joined.toString())
          .as("round %d: html lines of %s", round, s)
          .isEqualTo("x" + String.join("<br>\n", html(s).split("\n", -1)));
      assertThat(Texts.isAscii(s)).isEqualTo(s.chars().allMatch(c -> c < 0x80));
    }
  }

  @Test
  void unchangedTextIsReturnedAsItIs() {
    String plain = "Hello, I need help with order 42 — ευχαριστώ 🙏";

    assertThat(Texts.clean(plain)).isSameAs(plain);
    assertThat(Texts.oneLine(plain)).isSameAs(plain);
    assertThat(Texts.html(plain)).isSameAs(plain);
  }

  @Test
  void nullAndEmptyBecomeOneEmptyLine() {
    assertThat(Texts.clean(null)).isEmpty();
    assertThat(Texts.oneLine(null)).isEmpty();
    assertThat(Texts.lines(null)).containsExactly("");
    assertThat(Texts.lines("a\r\n")).containsExactly("a", "");
  }

  private static String dense(Random random) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(40);
    for (int i = 0; i < length; i++) {
      s.append(DENSE.charAt(random.nextInt(DENSE.length())));
    }
    return s.toString();
  }

  // The code before it scanned by hand, as it was.

  private static String clean(String s) {
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
      return (char) (0x2400 + c);
    }
    if (c == 0x7F) {
      return (char) 0x2421;
    }
    if ((c >= 0x80 && c < 0xA0) || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
      return '\uFFFD';
    }
    return c;
  }

  private static String oneLine(String s) {
    return WHITESPACE.matcher(clean(s)).replaceAll(" ").strip();
  }

  private static String html(String s) {
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
}
