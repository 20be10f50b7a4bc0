package io.lparchiver.render;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The quoted-printable and base64 bodies of the parts, encoded in one pass over bytes already in
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
  private static final byte LITERAL = 0;
  private static final byte ESCAPE = 1;
  private static final byte LINE_BREAK = 2;
  // what quoted-printable does with each byte value; a space is literal until a line end follows
  private static final byte[] KIND = new byte[256];

  static {
    for (int c = 0; c < 256; c++) {
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
   * RFC 2045 quoted-printable as Angus's {@code QPEncoderStream} writes it: CR, LF and CRLF all
   * become CRLF; bytes below 32 (tab too), from 127 up and {@code =} become {@code =XY}, and so
   * does a space followed by a line break or ending the body (it would read as transport padding);
   * a line that would pass 76 characters gets a soft break {@code =} first.
   */
  static Encoded quotedPrintable(byte[] in) {
    int n = in.length;
    byte[] out = new byte[n + (n >> 3) + 80];
    int o = 0;
    int column = 0;
    boolean afterCr = false;
    for (int i = 0; i < n; i++) {
      // the most one step adds: a soft break and a line of literals, or a soft break and an escape
      if (out.length - o < QP_TEXT + 3) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      int c = in[i] & 0xFF;
      switch (KIND[c]) {
        case LITERAL -> {
          if (column == QP_TEXT) {
            o = softBreak(out, o);
            column = 0;
          }
          // the run of literals that still fits the line, copied in one tight loop
          int end = Math.min(n, i + QP_TEXT - column);
          int j = i;
          do {
            out[o++] = in[j++];
          } while (j < end && KIND[in[j] & 0xFF] == LITERAL);
          column += j - i;
          i = j - 1;
          afterCr = false;
        }
        case ESCAPE -> {
          if (column + 3 > QP_TEXT) {
            o = softBreak(out, o);
            column = 0;
          }
          o = escape(out, o, c);
          column += 3;
          afterCr = false;
        }
        default -> { // CR or LF; an LF right after a CR is part of the same CRLF
          if (c == '\r' || !afterCr) {
            o = escapeTrailingSpace(out, o, column);
            o = crlf(out, o);
            column = 0;
          }
          afterCr = c == '\r';
        }
      }
    }
    if (out.length - o < 6) {
      out = Arrays.copyOf(out, o + 6);
    }
    return new Encoded(out, escapeTrailingSpace(out, o, column));
  }

  /**
   * A space is written as it is until a line break or the end of the body turns out to follow it;
   * then it becomes {@code =20}, with a soft break first if the escape no longer fits the line (as
   * Angus, which holds a space back until it sees the next byte).
   */
  private static int escapeTrailingSpace(byte[] out, int o, int column) {
    // a written space is the only way output can end in ' ': escapes end in a hex digit
    if (o == 0 || out[o - 1] != ' ') {
      return o;
    }
    int at = o - 1;
    if (column - 1 + 3 > QP_TEXT) {
      at = softBreak(out, at);
    }
    return escape(out, at, ' ');
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
