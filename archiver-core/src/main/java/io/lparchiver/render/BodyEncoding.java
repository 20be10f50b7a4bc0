package io.lparchiver.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The quoted-printable and base64 bodies of the parts, encoded in one pass over what is already in
 * memory. Angus Mail's encoder streams take one byte per call through several layers, which
 * profiling showed as a large share of rendering. The output is byte-for-byte what Angus writes
 * (76-character lines, CRLF): the SHA-256 of every archived email depends on it, and {@code
 * BodyEncodingTest} checks it against Angus on random input.
 */
final class BodyEncoding {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = {'\r', '\n'};
  private static final int LINE = 76;
  // the soft line break "=" takes the last column of a quoted-printable line
  private static final int QP_TEXT = LINE - 1;
  private static final int BASE64_LINE_GROUPS = LINE / 4;
  // whole lines of input (57 bytes each), so chunks encode exactly as the whole would
  private static final int BASE64_CHUNK = BASE64_LINE_GROUPS * 3 * 1024;
  // 1,024 lines of 76 characters and the 1,023 CRLFs between them
  private static final int BASE64_CHUNK_ENCODED = 1024 * (LINE + 2) - 2;
  private static final byte LITERAL = 0;
  private static final byte ESCAPE = 1;
  private static final byte LINE_BREAK = 2;
  // what quoted-printable does with each ASCII byte; a space is literal until a line end follows
  private static final byte[] KIND = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      KIND[c] = c >= ' ' && c < 127 && c != '=' ? LITERAL : ESCAPE;
    }
    KIND['\r'] = LINE_BREAK;
    KIND['\n'] = LINE_BREAK;
  }

  private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(LINE, CRLF);

  private BodyEncoding() {}

  /** Encoded bytes; only the first {@code length} bytes of {@code bytes} are the encoding. */
  @SuppressWarnings("ArrayRecordComponent") // handed straight to the part, never changed
  record Encoded(byte[] bytes, int length) {}

  /**
   * RFC 2045 quoted-printable of the UTF-8 bytes of {@code text}, as Angus's {@code
   * QPEncoderStream} writes them: CR, LF and CRLF all become CRLF; bytes below 32 (tab too), from
   * 127 up and {@code =} become {@code =XY}, and so does a space followed by a line break or ending
   * the body (it would read as transport padding); a line that would pass 76 characters gets a soft
   * break {@code =} first. Encoding from the chars skips the UTF-8 copy of the whole text that
   * {@link String#getBytes} would make; a broken surrogate becomes {@code ?} as it does there. A
   * transcript comes as its builder: a {@code String} of it would be one more copy of the whole.
   */
  static Encoded quotedPrintable(CharSequence text) {
    QuotedPrintable qp = new QuotedPrintable(text.length());
    int n = text.length();
    for (int i = 0; i < n; i++) {
      qp.reserve();
      char c = text.charAt(i);
      if (c < 0x80) {
        switch (KIND[c]) {
          case LITERAL -> i = qp.literals(text, i) - 1;
          case ESCAPE -> qp.escape(c);
          default -> qp.lineBreak(c);
        }
      } else if (c < 0x800) {
        qp.escape(0xC0 | c >> 6);
        qp.escape(0x80 | c & 0x3F);
      } else if (!Character.isSurrogate(c)) {
        qp.escape(0xE0 | c >> 12);
        qp.escape(0x80 | c >> 6 & 0x3F);
        qp.escape(0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        qp.escape(0xF0 | cp >> 18);
        qp.escape(0x80 | cp >> 12 & 0x3F);
        qp.escape(0x80 | cp >> 6 & 0x3F);
        qp.escape(0x80 | cp & 0x3F);
      } else {
        qp.literal('?');
      }
    }
    return qp.end();
  }

  /** The output of one quoted-printable body and where its current line stands. */
  private static final class QuotedPrintable {
    private byte[] out;
    private int o;
    private int column;
    private boolean afterCr;

    QuotedPrintable(int chars) {
      out = new byte[chars + (chars >> 2) + 80];
    }

    /** Room for the most one step adds: a soft break and a line of literals or four escapes. */
    void reserve() {
      if (out.length - o < QP_TEXT + 3) {
        out = Arrays.copyOf(out, out.length * 2);
      }
    }

    /**
     * Copies the run of literal ASCII from {@code from} that still fits the line; returns its end.
     */
    int literals(CharSequence text, int from) {
      if (column == QP_TEXT) {
        softBreak();
      }
      byte[] buf = out;
      int at = o;
      int end = Math.min(text.length(), from + QP_TEXT - column);
      int i = from;
      char c = text.charAt(i);
      do {
        buf[at++] = (byte) c;
        i++;
      } while (i < end && (c = text.charAt(i)) < 0x80 && KIND[c] == LITERAL);
      o = at;
      column += i - from;
      afterCr = false;
      return i;
    }

    void literal(int b) {
      if (column == QP_TEXT) {
        softBreak();
      }
      out[o++] = (byte) b;
      column++;
      afterCr = false;
    }

    void escape(int b) {
      if (column + 3 > QP_TEXT) {
        softBreak();
      }
      o = BodyEncoding.escape(out, o, b);
      column += 3;
      afterCr = false;
    }

    /** CR or LF; an LF right after a CR is part of the same CRLF. */
    void lineBreak(int c) {
      if (c == '\r' || !afterCr) {
        escapeTrailingSpace();
        o = crlf(out, o);
        column = 0;
      }
      afterCr = c == '\r';
    }

    Encoded end() {
      reserve();
      escapeTrailingSpace();
      return new Encoded(out, o);
    }

    private void softBreak() {
      o = BodyEncoding.softBreak(out, o);
      column = 0;
    }

    /**
     * A space is written as it is until a line break or the end of the body turns out to follow it;
     * then it becomes {@code =20}, with a soft break first if the escape no longer fits the line
     * (as Angus, which holds a space back until it sees the next byte).
     */
    private void escapeTrailingSpace() {
      // a written space is the only way output can end in ' ': escapes end in a hex digit
      if (o == 0 || out[o - 1] != ' ') {
        return;
      }
      o--;
      column--;
      escape(' ');
    }
  }

  /**
   * Base64 as Angus's {@code BASE64EncoderStream} writes it: 76-character lines separated by CRLF,
   * and a CRLF after the last line too when that line is full (its padding included).
   */
  static Encoded base64(byte[] in) {
    byte[] encoded = BASE64.encode(in);
    int groups = (in.length + 2) / 3;
    if (groups == 0 || groups % BASE64_LINE_GROUPS != 0) {
      return new Encoded(encoded, encoded.length);
    }
    byte[] out = Arrays.copyOf(encoded, encoded.length + 2);
    out[encoded.length] = '\r';
    out[encoded.length + 1] = '\n';
    return new Encoded(out, out.length);
  }

  /**
   * The same base64 for a body read from {@code in} (a shared file, which is not held in memory),
   * written to {@code out} as it is read; {@code out} is left open. Encoded a chunk of whole lines
   * at a time with the JDK's block encoder: its encoder stream goes byte by byte, about eight times
   * slower on a 3 MB file.
   */
  static void base64(InputStream in, OutputStream out) throws IOException {
    byte[] chunk = new byte[BASE64_CHUNK];
    byte[] encoded = new byte[BASE64_CHUNK_ENCODED];
    long length = 0;
    for (int n; (n = in.readNBytes(chunk, 0, chunk.length)) > 0; length += n) {
      if (length > 0) {
        out.write(CRLF); // between two chunks' lines, as between any two lines
      }
      if (n < chunk.length) {
        out.write(BASE64.encode(Arrays.copyOf(chunk, n))); // the last: padded
      } else {
        out.write(encoded, 0, BASE64.encode(chunk, encoded));
      }
    }
    long groups = (length + 2) / 3;
    if (groups != 0 && groups % BASE64_LINE_GROUPS == 0) {
      out.write(CRLF);
    }
  }

  private static int escape(byte[] out, int o, int c) {
    out[o] = '=';
    out[o + 1] = HEX[c >> 4];
    out[o + 2] = HEX[c & 0xF];
    return o + 3;
  }

  private static int crlf(byte[] out, int o) {
    out[o] = '\r';
    out[o + 1] = '\n';
    return o + 2;
  }

  private static int softBreak(byte[] out, int o) {
    out[o] = '=';
    return crlf(out, o + 1);
  }
}
