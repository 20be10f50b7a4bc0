package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.SeededDataSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming {@link Fingerprint} against the first implementation ({@link
 * FingerprintReference}): every stored fingerprint was made by that one, so any difference would
 * re-archive every conversation on upgrade.
 */
class FingerprintEquivalenceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void agreesOnTheFixtures() throws Exception {
    for (String name :
        List.of("full-record.json", "singular-open-record.json", "chat-record.json")) {
      assertSame(JSON.readTree(Fixtures.bytes(name)));
    }
    RecordSlicer.Page page =
        RecordSlicer.slice(Fixtures.bytes("search-page.json"), "conversationHistoryRecords");
    assertThat(page.records()).isNotEmpty();
    for (byte[] record : page.records()) {
      assertSame(JSON.readTree(record));
    }
  }

  @Test
  void agreesOnEverySeededSimulatorRecord() throws Exception {
    SeededDataSet data =
        SeededDataSet.generate(
            new DataSetSpec(200, 6, 42L, Instant.parse("2026-05-01T00:00:00Z"), 30).withChats(100),
            "12345678");
    List<JsonNode> records = new java.util.ArrayList<>(data.conversations());
    records.addAll(data.chats());
    assertThat(records).hasSize(300);
    for (JsonNode record : records) {
      // through the wire form, so the tree holds the node types a parsed page holds
      assertSame(JSON.readTree(JSON.writeValueAsBytes(record)));
    }
  }

  @Test
  void agreesOnRandomRecordsWithAwkwardContent() throws Exception {
    Random random = new Random(20261126L);
    for (int i = 0; i < 3000; i++) {
      String json = new RandomRecord(random).record();
      assertSame(JSON.readTree(json));
    }
  }

  @Test
  void agreesOnEdgeCasesOfStringsAndNumbers() throws Exception {
    List<String> cases =
        List.of(
            "{\"a\":\"\\ud800\",\"b\":\"x\\udc00y\",\"c\":\"\\ud83d\\ude00\\ud83d\"}",
            "{\"c\":\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\\u007f\\\"\\\\/\\u2028\"}",
            "{\"n\":[0,-0,0.0,-0.0,1e400,-1e400,4.9e-324,2.5e-400,1E-7,1.0e+300,123.456e5]}",
            "{\"n\":[2147483647,2147483648,-2147483649,9223372036854775807,9223372036854775808]}",
            "{\"n\":[-9223372036854775809,123456789012345678901234567890,0.1,3.141592653589793238]}",
            "{\"info\":{\"status\":\"CLOSE\",\"duration\":5,\"agentDeleted\":true}}",
            "{\"info\":{\"status\":\"OPEN\",\"duration\":5,\"chatDataEnriched\":true}}",
            "{\"info\":{\"status\":{\"x\":\"CLOSE\"},\"duration\":5}}",
            "{\"info\":[{\"duration\":5,\"agentDeleted\":true}]}",
            "{\"agentParticipants\":{\"a\":{\"agentDeleted\":1,\"b\":{\"agentDeleted\":2}}}}",
            "{\"agentParticipantsLeave\":[[{\"agentDeleted\":1}],{\"agentDeleted\":2,\"x\":3}]}",
            "{\"messageRecords\":{\"m\":{\"messageData\":{\"f\":{\"preview\":\"AAAA\",\"p\":1}}}}}",
            "{\"messageRecords\":[[{\"messageData\":[{\"preview\":1}]}],{\"messageData\":[[{}]]}]}",
            "{\"messageRecords\":[{\"messageData\":[{\"preview\":1,\"x\":{\"preview\":2}}]}]}",
            "{\"responseTime\":{},\"intents\":[],\"messageScores\":1,\"summary\":{\"intents\":[]}}",
            "{}",
            "[{\"info\":{\"duration\":1}},{\"b\":1,\"a\":2}]",
            "\"just a string \\u00e9\"",
            "{\"\":{\"\":[]},\"\\u00e9\":1,\"e\":2,\"\\ud83d\\ude00\":3,\"\\uffff\":4,\"Z\":5}");
    for (String json : cases) {
      assertSame(JSON.readTree(json));
    }
  }

  @Test
  void aLongRecordCrossesTheWriteBufferAtEveryKindOfCharacter() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append(i % 5 == 0 ? "\\u0001" : i % 5 == 1 ? "é" : i % 5 == 2 ? "日" : "\\ud83d\\ude00");
      text.append(i % 7 == 0 ? "\\ud800" : "a");
    }
    assertSame(JSON.readTree("{\"t\":\"" + text + "\",\"u\":[1,2,3]}"));
  }

  private static void assertSame(JsonNode record) throws Exception {
    String reference = FingerprintReference.canonicalJson(record);
    // what the reference hashed: its UTF-8 bytes, a lone surrogate as '?'
    String referenceBytes =
        new String(reference.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertThat(Fingerprint.canonicalJson(record)).isEqualTo(referenceBytes);
    assertThat(Fingerprint.of(record)).isEqualTo(FingerprintReference.of(record));
  }

  /** A record-shaped JSON text: the paths the volatile fields sit on, with awkward leaves. */
  private static final class RandomRecord {
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
     * A JSON string of awkward characters, each written raw or as an escape; lone surrogates only
     * in values ({@code name}: Jackson rejects them in field names).
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
        if (c < 0x20
            || c == '"'
            || c == '\\'
            || Character.isSurrogate(c)
            || random.nextInt(8) == 0) {
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
}
