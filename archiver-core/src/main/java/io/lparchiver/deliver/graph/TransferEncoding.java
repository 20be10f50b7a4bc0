package io.lparchiver.deliver.graph;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes a whole MIME part body held in memory. Jakarta Mail's decoder streams read one byte per
 * call through several layers, which made quoted-printable decoding a tenth of a Graph sync's CPU;
 * the part bodies lp-archiver renders are small and already in memory, so decoding them in one pass
 * costs a fraction of that.
 */
final class TransferEncoding {

  private TransferEncoding() {}

  /** The decoded bytes, or empty for an encoding this class does not handle (stream it instead). */
  static Optional<byte[]> decode(String encoding, byte[] raw) {
    String e = encoding == null ? "7bit" : encoding.strip().toLowerCase(Locale.ROOT);
    return switch (e) {
      case "7bit", "8bit", "binary" -> Optional.of(raw);
      case "base64" -> Optional.of(Base64.getMimeDecoder().decode(raw));
      case "quoted-printable" -> Optional.of(quotedPrintable(raw));
      default -> Optional.empty();
    };
  }

  /**
   * RFC 2045 section 6.7: "=XY" is the byte XY, "=" at the end of a line (after optional blanks) is
   * a soft line break, a CRLF is a line break, and blanks at the end of a line were added in
   * transport and are dropped. A malformed "=" is kept as it is, as Jakarta Mail's decoder does.
   */
  static byte[] quotedPrintable(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    int n = in.length;
    int i = 0;
    while (i < n) {
      byte b = in[i];
      if (b == '=') {
        int hi = i + 2 < n ? Character.digit(in[i + 1], 16) : -1;
        int lo = i + 2 < n ? Character.digit(in[i + 2], 16) : -1;
        if (hi >= 0 && lo >= 0) {
          out.write(hi << 4 | lo);
          i += 3;
          continue;
        }
        int j = skipBlanks(in, i + 1);
        if (j == n) {
          return out.toByteArray(); // "=" ending the body: a soft break with nothing after it
        }
        if (in[j] == '\r' && j + 1 < n && in[j + 1] == '\n') {
          i = j + 2;
          continue;
        }
        if (in[j] == '\n') {
          i = j + 1;
          continue;
        }
        out.write(b);
        i++;
      } else if (b == ' ' || b == '\t') {
        int j = skipBlanks(in, i);
        if (j == n || in[j] == '\r' || in[j] == '\n') {
          i = j; // trailing blanks of a line
        } else {
          out.write(in, i, j - i);
          i = j;
        }
      } else {
        out.write(b);
        i++;
      }
    }
    return out.toByteArray();
  }

  private static int skipBlanks(byte[] in, int from) {
    int j = from;
    while (j < in.length && (in[j] == ' ' || in[j] == '\t')) {
      j++;
    }
    return j;
  }
}
