package io.lparchiver.testing;

/** Edits of an audit export, as someone holding the file could make them. */
public final class AuditForgery {

  private static final String SIGNATURE = "\"signature\":\"";

  private AuditForgery() {}

  /**
   * The export line with its signature's first hex digit changed, never to itself: a fixed
   * replacement left a random key's signature unchanged once in 256 runs.
   */
  public static String withSignatureChanged(String line) {
    int at = line.indexOf(SIGNATURE) + SIGNATURE.length();
    if (at < SIGNATURE.length() || at >= line.length()) {
      throw new IllegalArgumentException("no signature in the line: " + line);
    }
    return line.substring(0, at) + (line.charAt(at) == '0' ? '1' : '0') + line.substring(at + 1);
  }
}
