package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CompactJson} against the routine it replaces, {@code JsonNode.toString()}. */
class CompactJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writesWhatToStringWritesOnRandomTreesWithAwkwardContent() throws Exception {
    Random random = new Random(7L);
    for (int i = 0; i < 3000; i++) {
      JsonNode tree = JSON.readTree(new RandomRecord(random).record());
      assertSame(tree);
      for (JsonNode child : tree) { // messageData-sized pieces too
        assertSame(child);
      }
    }
  }

  @Test
  void writesWhatToStringWritesOnTheFixturesAndEdgeCases() throws Exception {
    for (String name :
        List.of("full-record.json", "singular-open-record.json", "chat-record.json")) {
      assertSame(JSON.readTree(Fixtures.bytes(name)));
    }
    for (String json :
        List.of(
            "{\"a\":\"\\ud800 x \\udc00\",\"b\":\"\\ud83d\\ude00\",\"\\u00e9\":[]}",
            "{\"c\":\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\\u007f\\\"\\\\/\\u2028\"}",
            "[0,-0,0.0,-0.0,1e400,4.9e-324,9223372036854775808,-2147483649,0.1,true,null,{}]",
            "{}",
            "\"text\"")) {
      assertSame(JSON.readTree(json));
    }
  }

  private static void assertSame(JsonNode node) {
    assertThat(CompactJson.of(node)).isEqualTo(node.toString());
  }
}
