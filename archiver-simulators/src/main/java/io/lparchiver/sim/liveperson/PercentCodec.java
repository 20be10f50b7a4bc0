package io.lparchiver.sim.liveperson;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RFC 3986 percent-encoding as OAuth 1.0a (RFC 5849 section 3.6) requires, and query parsing. */
final class PercentCodec {
  private static final int MAX_QUERY_PARAMS = 200;

  private PercentCodec() {}

  /** Encodes everything except the unreserved set {@code A-Z a-z 0-9 - . _ ~}. */
  static String encode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(hex(c >> 4)).append(hex(c & 0xF));
      }
    }
    return out.toString();
  }

  /** Strict decoding: '+' stays '+', a malformed escape is an error. */
  static String decode(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length()) {
          throw new IllegalArgumentException("truncated percent escape");
        }
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("malformed percent escape");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Query parameters in order, decoded as {@code application/x-www-form-urlencoded} ('+' is a
   * space), which is how RFC 5849 section 3.4.1.3.1 reads the query.
   */
  static List<Map.Entry<String, String>> parseQuery(String rawQuery) {
    List<Map.Entry<String, String>> params = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String part : rawQuery.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      if (params.size() >= MAX_QUERY_PARAMS) {
        throw new IllegalArgumentException("too many query parameters");
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      params.add(new SimpleImmutableEntry<>(formDecode(name), formDecode(value)));
    }
    return params;
  }

  private static String formDecode(String value) {
    return decode(value.replace('+', ' '));
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static char hex(int nibble) {
    return "0123456789ABCDEF".charAt(nibble);
  }
}
