package io.lparchiver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Messaging Interactions records of a chosen size and the shape of reference section 3.5: plain
 * text, rich content every tenth message, a hosted file every fiftieth, two agents and a transfer.
 */
final class SyntheticRecords {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long START = 1_714_557_600_000L;

  private SyntheticRecords() {}

  static byte[] conversation(int messages, long seed) {
    Random random = new Random(seed);
    String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    ObjectNode rec = JSON.createObjectNode();
    ObjectNode info = rec.putObject("info");
    info.put("conversationId", id).put("brandId", "12345678").put("status", "CLOSE");
    info.put("startTimeL", START).put("endTimeL", START + messages * 20_000L);
    info.put("latestSkillName", "Billing").put("closeReason", "AGENT").put("source", "APP");
    ArrayNode records = rec.putArray("messageRecords");
    for (int seq = 0; seq < messages; seq++) {
      boolean consumer = seq % 2 == 0;
      ObjectNode m = records.addObject();
      m.put("seq", seq).put("messageId", "ms::conv:" + id + "::msg:" + seq).put("dialogId", id);
      m.put("participantId", consumer ? "c-1" : (seq < messages / 2 ? "1001" : "1002"));
      m.put("timeL", START + seq * 20_000L).put("sentBy", consumer ? "Consumer" : "Agent");
      ObjectNode data = m.putObject("messageData");
      if (seq % 50 == 49) {
        m.put("type", "HOSTED_FILE");
        data.putObject("file")
            .put("relativePath", "/v1/AUTH_async-images/12345678/" + seq + ".PNG")
            .put("fileType", "PNG")
            .put("caption", "receipt " + seq);
      } else if (seq % 10 == 9) {
        m.put("type", "RICH_CONTENT");
        data.putObject("richContent")
            .put(
                "content",
                "{\"type\":\"vertical\",\"elements\":[{\"type\":\"text\",\"text\":\"Plan "
                    + seq
                    + "\"},{\"type\":\"button\",\"title\":\"Choose\",\"click\":{\"actions\":[{\"type\":\"publishText\",\"text\":\"Plan "
                    + seq
                    + "\"}]}}]}");
      } else {
        m.put("type", "TEXT_PLAIN");
        data.putObject("msg").put("text", sentence(random));
      }
    }
    ArrayNode agents = rec.putArray("agentParticipants");
    agents
        .addObject()
        .put("agentId", "1001")
        .put("agentNickname", "Ann")
        .put("role", "ASSIGNED_AGENT")
        .put("userTypeName", "Human")
        .put("timeL", START + 1000);
    agents
        .addObject()
        .put("agentId", "1002")
        .put("agentNickname", "Bob")
        .put("role", "ASSIGNED_AGENT")
        .put("userTypeName", "Human")
        .put("timeL", START + messages * 10_000L);
    rec.putArray("consumerParticipants")
        .addObject()
        .put("participantId", "c-1")
        .put("firstName", "Jo")
        .put("lastName", "Doe")
        .put("timeL", START);
    rec.putArray("transfers")
        .addObject()
        .put("timeL", START + messages * 10_000L)
        .put("reason", "Agent")
        .put("sourceAgentId", "1001")
        .put("assignedAgentId", "1002");
    rec.putObject("summary").put("text", "Synthetic conversation of " + messages + " messages");
    return rec.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static final String[] WORDS = {
    "account",
    "balance",
    "transfer",
    "payment",
    "please",
    "thanks",
    "statement",
    "card",
    "limit",
    "fee",
    "refund",
    "order",
    "today",
    "tomorrow",
    "help",
    "issue",
    "resolved",
    "check"
  };

  private static String sentence(Random random) {
    StringBuilder s = new StringBuilder();
    int words = 5 + random.nextInt(25);
    for (int i = 0; i < words; i++) {
      s.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return s.append('.').toString();
  }
}
