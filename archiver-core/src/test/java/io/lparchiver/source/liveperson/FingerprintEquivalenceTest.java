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
            // awkward field names, each twice: written once, then from the kept bytes
            "{\"k\\\"e\\\\y\\u0001\":{\"k\\\"e\\\\y\\u0001\":1},\"\u00e9t\u00e9\\ud83d\\ude00\":[{\"\u00e9t\u00e9\\ud83d\\ude00\":2}]}",
            "{\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\":{\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\":1},\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\":{\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\":2}}",
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
}
