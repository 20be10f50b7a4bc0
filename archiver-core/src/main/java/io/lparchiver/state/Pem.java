package io.lparchiver.state;

import java.util.Base64;

/** Reads the one base64 block of a PEM text, tolerant of line breaks folded into spaces. */
final class Pem {

  private Pem() {}

  /**
   * The DER bytes between {@code begin} and {@code end}. A key passed through an environment
   * variable and YAML may have its line breaks turned into spaces, so all whitespace is ignored.
   */
  static byte[] decode(
      String pem, String begin, String end, String source, String what, String howToMake) {
    String text = pem.strip();
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(
          source
              + " is not "
              + what
              + " in PEM form ("
              + begin
              + " ... "
              + end
              + "). "
              + howToMake);
    }
    String body = text.substring(from + begin.length(), to).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + ": the PEM body is not valid base64. " + howToMake, e);
    }
  }
}
