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
  private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(LINE, CRLF);

  private BodyEncoding() {}

  /** Encoded bytes; only the first {@code length} bytes of {@code bytes} are the encoding. */
  @SuppressWarnings("ArrayRecordComponent") // handed straight to the part, never changed
  record Encoded(byte[] bytes, int length) {}

  /**
   * RFC 2045 quoted-printable as Angus's {@code QPEncoderStream} writes it: CR, LF and CRLF all
   * become CRLF; a space is kept unless a line break or the end follows it; other bytes below 32,
   * from 127 up and {@code =} become {@code =XY}; a line that would pass 76 characters gets a soft
   * break first.
   */
  static Encoded quotedPrintable(byte[] in) {
    byte[] out = new byte[in.length + (in.length >> 2) + 64];
    int o = 0;
    int column = 0;
    boolean pendingSpace = false;
    boolean afterCr = false;
    for (byte value : in) {
      // at most a held space and one byte, each encoded after a soft break: 12 bytes
      if (out.length - o < 12) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      int c = value & 0xFF;
      if (pendingSpace) {
        boolean encode = c == '\r' || c == '\n';
        int width = encode ? 3 : 1;
        if (column + width > QP_TEXT) {
          o = softBreak(out, o);
          column = 0;
        }
        o = encode ? escape(out, o, ' ') : put(out, o, ' ');
        column += width;
        pendingSpace = false;
      }
      if (c == '\r') {
        afterCr = true;
        o = crlf(out, o);
        column = 0;
        continue;
      }
      if (c == '\n') {
        if (!afterCr) {
          o = crlf(out, o);
          column = 0;
        }
      } else if (c == ' ') {
        pendingSpace = true;
      } else {
        boolean encode = c < 32 || c >= 127 || c == '=';
        int width = encode ? 3 : 1;
        if (column + width > QP_TEXT) {
          o = softBreak(out, o);
          column = 0;
        }
        o = encode ? escape(out, o, c) : put(out, o, c);
        column += width;
      }
      afterCr = false;
    }
    if (pendingSpace) {
      // a space ending the body would be taken for transport padding: Angus encodes it
      if (out.length - o < 6) {
        out = Arrays.copyOf(out, out.length + 6);
      }
      if (column + 3 > QP_TEXT) {
        o = softBreak(out, o);
      }
      o = escape(out, o, ' ');
    }
    return new Encoded(out, o);
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

  private static int put(byte[] out, int o, int c) {
    out[o] = (byte) c;
    return o + 1;
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
