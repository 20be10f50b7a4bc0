package io.lparchiver.sim.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass rendition of an HTML body gives what the rules it implements give when written as
 * regular expressions (the simulator's first form, kept here as the reference).
 */
class HtmlRenditionTest {

  private static String byRegex(String html) {
    String crlf = html.replaceAll("\r?\n", "\r\n");
    String inner =
        crlf.replaceFirst("(?is)^.*?<body[^>]*>", "").replaceFirst("(?is)</body>.*$", "");
    return "<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
        + "\r\n</head>\r\n<body>\r\n"
        + inner
        + "\r\n</body>\r\n</html>\r\n";
  }

  @Test
  void aTranscriptKeepsItsBodyWithCrlfLineBreaks() {
    String html =
        "<!DOCTYPE html>\n<html><head><style>p{}</style></head>\n<body class=\"t\">\n"
            + "<p>Hello &amp; welcome</p>\r\n<p>second\nline</p>\n</body>\n</html>\n";
    assertThat(MailApi.htmlRendition(html))
        .contains(
            "<body>\r\n\r\n<p>Hello &amp; welcome</p>\r\n<p>second\r\nline</p>\r\n\r\n</body>")
        .doesNotContain("<style>")
        .isEqualTo(byRegex(html));
  }

  @Test
  void awkwardDocumentsAgreeWithTheRegularExpressions() {
    String[] pieces = {
      "<body",
      "<BODY",
      "<Body class=x>",
      "<bodY\n>",
      ">",
      "</body>",
      "</BODY>",
      "</Body >",
      "</bo",
      "\r",
      "\n",
      "\r\n",
      "\n\r",
      "a",
      "é",
      "\uD83D\uDE00",
      "\u0130",
      "\u017F",
      "<",
      "/",
      "body",
      "<p>",
      " ",
      "&amp;"
    };
    Random random = new Random(20261127);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder html = new StringBuilder();
      int n = random.nextInt(12);
      for (int k = 0; k < n; k++) {
        html.append(pieces[random.nextInt(pieces.length)]);
      }
      String input = html.toString();
      assertThat(MailApi.htmlRendition(input))
          .as("rendition of %s", input)
          .isEqualTo(byRegex(input));
    }
  }
}
