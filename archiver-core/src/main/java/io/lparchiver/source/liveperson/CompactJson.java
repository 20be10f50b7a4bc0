package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code JsonNode.toString()} without Jackson's serializer set up per call: compact, keys in the
 * tree's order, strings escaped as Jackson escapes them ({@code \" \\ \b \t \n \f \r}, other
 * controls as {@code \}{@code u00XX}, every other character as is). Each message's data is kept as
 * this text, so it is written once per message; {@code CompactJsonTest} holds it to {@code
 * toString()} on random trees.
 */
final class CompactJson {

  private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

  private CompactJson() {}

  static String of(JsonNode node) {
    StringBuilder out = new StringBuilder(128);
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(field.getKey(), out);
        out.append(':');
        write(field.getValue(), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0, n = node.size(); i < n; i++) {
        if (i > 0) {
          out.append(',');
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isTextual()) {
      string(node.textValue(), out);
    } else if (node.isInt() || node.isLong()) {
      out.append(node.longValue());
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else if (node.isNull()) {
      out.append("null");
    } else {
      out.append(node.toString()); // doubles, big numbers and rarer nodes: as Jackson writes them
    }
  }

  private static void string(String text, StringBuilder out) {
    out.append('"');
    int run = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        out.append(text, run, i);
        escape(c, out);
        run = i + 1;
      }
    }
    out.append(text, run, text.length()).append('"');
  }

  private static void escape(char c, StringBuilder out) {
    out.append('\\');
    switch (c) {
      case '"' -> out.append('"');
      case '\\' -> out.append('\\');
      case '\b' -> out.append('b');
      case '\t' -> out.append('t');
      case '\n' -> out.append('n');
      case '\f' -> out.append('f');
      case '\r' -> out.append('r');
      default -> out.append("u00").append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xF]);
    }
  }
}
