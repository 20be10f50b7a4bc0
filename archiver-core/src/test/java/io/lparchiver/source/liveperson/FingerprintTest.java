package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FingerprintTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode full() throws Exception {
    return JSON.readTree(Fixtures.bytes("full-record.json"));
  }

  @Test
  void isStableUnderKeyReorderingAndWhitespace() throws Exception {
    JsonNode original = full();
    Random random = new Random(20240501L);
    JsonNode shuffled = shuffle(original, random);
    String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(shuffled);

    assertThat(pretty).isNotEqualTo(original.toString());
    assertThat(Fingerprint.of(JSON.readTree(pretty))).isEqualTo(Fingerprint.of(original));
  }

  @Test
  void changesWhenAMessageIsAddedOrASummaryEdited() throws Exception {
    JsonNode original = full();
    ObjectNode withMessage = (ObjectNode) original.deepCopy();
    ((ArrayNode) withMessage.get("messageRecords"))
        .addObject()
        .put("type", "TEXT_PLAIN")
        .put("seq", 10)
        .putObject("messageData")
        .putObject("msg")
        .put("text", "one more thing");
    ObjectNode edited = (ObjectNode) original.deepCopy();
    ((ObjectNode) edited.get("summary")).put("text", "refund issued and confirmed");

    assertThat(Fingerprint.of(withMessage)).isNotEqualTo(Fingerprint.of(original));
    assertThat(Fingerprint.of(edited)).isNotEqualTo(Fingerprint.of(original));
  }

  @Test
  void ignoresVolatileFields() throws Exception {
    ObjectNode open = (ObjectNode) JSON.readTree(Fixtures.bytes("singular-open-record.json"));
    ObjectNode later = open.deepCopy();
    ((ObjectNode) later.get("info")).put("duration", 99_999);
    later.putObject("responseTime").put("latestEffectiveResponseDueTime", 5);
    assertThat(Fingerprint.of(later)).isEqualTo(Fingerprint.of(open));

    JsonNode closed = full();
    ObjectNode agentGone = (ObjectNode) closed.deepCopy();
    ((ObjectNode) agentGone.get("info")).put("agentDeleted", true);
    ((ObjectNode) agentGone.get("agentParticipants").get(0)).put("agentDeleted", true);
    ((ObjectNode) agentGone.at("/messageRecords/2/messageData/file")).remove("preview");
    assertThat(Fingerprint.of(agentGone)).isEqualTo(Fingerprint.of(closed));

    ObjectNode longer = (ObjectNode) closed.deepCopy();
    ((ObjectNode) longer.get("info")).put("duration", 1); // a closed conversation's duration counts
    assertThat(Fingerprint.of(longer)).isNotEqualTo(Fingerprint.of(closed));
  }

  @Test
  void canonicalFormSortsKeysAndIsCompact() throws Exception {
    JsonNode node = JSON.readTree("{ \"b\" : [ {\"z\":1, \"a\":2} ], \"a\" : \"\\u00e9\" }");
    assertThat(Fingerprint.canonicalJson(node))
        .isEqualTo("{\"a\":\"é\",\"b\":[{\"a\":2,\"z\":1}]}");
  }

  private static JsonNode shuffle(JsonNode node, Random random) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        fields.add(it.next());
      }
      Collections.shuffle(fields, random);
      ObjectNode out = JSON.createObjectNode();
      fields.forEach(f -> out.set(f.getKey(), shuffle(f.getValue(), random)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      node.forEach(e -> out.add(shuffle(e, random)));
      return out;
    }
    return node;
  }
}
