package io.lparchiver.source.liveperson;

import java.util.List;
import java.util.Random;

/** A record-shaped JSON text: the paths the volatile fields sit on, with awkward leaves. */
final class RandomRecord {
  private static final List<String> KEYS =
      List.of(
          "info",
          "status",
          "duration",
          "agentDeleted",
          "chatDataEnriched",
          "isChatDataEnriched",
          "preview",
          "messageRecords",
          "messageData",
          "agentParticipants",
          "agentParticipantsLeave",
          "agentParticipantsActive",
          "messageScores",
          "messageScore",
          "responseTime",
          "intents",
          "uniqueIntents",
          "latestAgentSurvey",
          "previouslySubmittedAgentSurveys",
          "conversationId",
          "text",
          "a",
          "B",
          "é",
          "日本",
          "\\ud83d\\ude00",
          "",
          "a\\\"b",
          "\\u0000");
  private static final List<String> NUMBERS =
      List.of(
          "0",
          "-0",
          "1",
          "-1",
          "2147483647",
          "2147483648",
          "-2147483649",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "123456789012345678901234567890",
          "0.0",
          "-0.0",
          "1.5",
          "0.1",
          "1e10",
          "1E-7",
          "1.0e+300",
          "1e400",
          "-1e400",
          "4.9e-324",
          "2.5e-400",
          "123.456e5",
          "1714557600123",
          "3.14159265358979323846264338327950288");

  private final Random random;
  private final StringBuilder out = new StringBuilder();

  RandomRecord(Random random) {
    this.random = random;
  }

  String record() {
    out.append('{');
    int fields = random.nextInt(8);
    for (int i = 0; i < fields; i++) {
      if (i > 0) {
        out.append(',');
      }
      String key = i == 0 ? "info" : KEYS.get(random.nextInt(19)); // mostly structural keys
      out.append('"').append(key).append("\":");
      structure(key, 0);
    }
    return out.append('}').toString();
  }

  /** A value for {@code key}: usually the shape LivePerson gives it, sometimes not. */
  private void structure(String key, int depth) {
    if (depth > 3 || random.nextInt(5) == 0) {
      value(depth + 2);
      return;
    }
    switch (key) {
      case "info" -> {
        out.append('{');
        out.append("\"status\":").append(random.nextBoolean() ? "\"CLOSE\"" : "\"OPEN\"");
        fields(List.of("duration", "agentDeleted", "chatDataEnriched", "isChatDataEnriched"));
        out.append('}');
      }
      case "agentParticipants", "agentParticipantsLeave", "agentParticipantsActive" ->
          list(() -> element(List.of("agentDeleted", "agentId"), depth));
      case "messageRecords" ->
          list(
              () -> {
                out.append("{\"messageData\":");
                structure("messageData", depth + 1);
                fields(List.of("preview", "seq"));
                out.append('}');
              });
      case "messageData" -> list(() -> element(List.of("preview", "relativePath"), depth));
      default -> value(depth + 1);
    }
  }

  private void element(List<String> keys, int depth) {
    if (random.nextInt(6) == 0) {
      value(depth + 2);
      return;
    }
    out.append('{');
    boolean first = true;
    for (String key : keys) {
      if (random.nextBoolean()) {
        out.append(first ? "" : ",").append('"').append(key).append("\":");
        value(depth + 2);
        first = false;
      }
    }
    out.append('}');
  }

  /** An array or, sometimes, an object of what {@code element} writes. */
  private void list(Runnable element) {
    boolean object = random.nextInt(4) == 0;
    out.append(object ? '{' : '[');
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      out.append(i > 0 ? "," : "");
      if (object) {
        string(true);
        out.append(':');
      }
      element.run();
    }
    out.append(object ? '}' : ']');
  }

  /** A few extra fields from {@code keys} and the pool, after at least one field. */
  private void fields(List<String> keys) {
    for (int i = random.nextInt(5); i > 0; i--) {
      String key = random.nextBoolean() ? keys.get(random.nextInt(keys.size())) : pick(KEYS);
      out.append(",\"").append(key).append("\":");
      value(3);
    }
  }

  private void value(int depth) {
    int kind = random.nextInt(depth > 4 ? 5 : 7);
    switch (kind) {
      case 0, 1 -> string(false);
      case 2 -> out.append(random.nextInt(3) == 0 ? randomNumber() : pick(NUMBERS));
      case 3 -> out.append(List.of("true", "false", "null").get(random.nextInt(3)));
      case 4 -> out.append('"').append(random.nextBoolean() ? "CLOSE" : "OPEN").append('"');
      case 5 -> {
        out.append('{');
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          out.append(i > 0 ? "," : "").append('"').append(pick(KEYS)).append("\":");
          value(depth + 1);
        }
        out.append('}');
      }
      default -> {
        out.append('[');
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          out.append(i > 0 ? "," : "");
          value(depth + 1);
        }
        out.append(']');
      }
    }
  }

  private String randomNumber() {
    return switch (random.nextInt(4)) {
      case 0 -> Long.toString(random.nextLong());
      case 1 -> Integer.toString(random.nextInt());
      case 2 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
      default ->
          Double.toString(Double.longBitsToDouble(random.nextLong()))
              .replace("NaN", "0")
              .replace("Infinity", "1e999");
    };
  }

  /**
   * A JSON string of awkward characters, each written raw or as an escape; lone surrogates only in
   * values ({@code name}: Jackson rejects them in field names).
   */
  private void string(boolean name) {
    out.append('"');
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      if (random.nextInt(10) == 0) { // a character outside the BMP: a surrogate pair
        int point = 0x10000 + random.nextInt(0x100000);
        out.append(
            random.nextBoolean()
                ? new String(Character.toChars(point))
                : String.format(
                    "\\u%04x\\u%04x",
                    (int) Character.highSurrogate(point), (int) Character.lowSurrogate(point)));
        continue;
      }
      char c = awkwardChar();
      if (name && Character.isSurrogate(c)) {
        c = '?';
      }
      if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c) || random.nextInt(8) == 0) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private char awkwardChar() {
    return switch (random.nextInt(10)) {
      case 0 -> (char) random.nextInt(0x20);
      case 1 -> "\"\\/\u007f\u2028\u2029\uffff\ufeff".charAt(random.nextInt(8));
      case 2 -> (char) (0x80 + random.nextInt(0x780));
      case 3 -> (char) (0x800 + random.nextInt(0xD000));
      case 4 -> (char) (0xD800 + random.nextInt(0x800)); // a surrogate, paired or not
      default -> (char) (0x20 + random.nextInt(0x5F));
    };
  }

  private String pick(List<String> values) {
    return values.get(random.nextInt(values.size()));
  }
}
