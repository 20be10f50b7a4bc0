package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The first {@link Fingerprint} implementation, kept unchanged as the reference every stored
 * fingerprint was computed with: deep copy, remove the volatile fields, sorted copy, {@code
 * toString()}, UTF-8, SHA-256. The streaming implementation must agree with it on every record.
 */
final class FingerprintReference {

  private static final List<String> UNREQUESTED_SECTIONS =
      List.of(
          "messageScores",
          "messageScore",
          "responseTime",
          "intents",
          "uniqueIntents",
          "latestAgentSurvey",
          "previouslySubmittedAgentSurveys");
  private static final List<String> AGENT_LISTS =
      List.of("agentParticipants", "agentParticipantsLeave", "agentParticipantsActive");

  private FingerprintReference() {}

  static String of(JsonNode record) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256")
                .digest(canonicalJson(record).getBytes(StandardCharsets.UTF_8)));
  }

  static String canonicalJson(JsonNode record) {
    JsonNode copy = record.deepCopy();
    if (copy instanceof ObjectNode root) {
      removeVolatile(root);
    }
    return canonical(copy).toString();
  }

  private static void removeVolatile(ObjectNode root) {
    JsonNode info = root.get("info");
    boolean closed = info != null && "CLOSE".equals(info.path("status").asText());
    if (info instanceof ObjectNode infoObject) {
      infoObject.remove(List.of("agentDeleted", "chatDataEnriched", "isChatDataEnriched"));
      if (!closed) {
        infoObject.remove("duration");
      }
    }
    root.remove(UNREQUESTED_SECTIONS);
    for (String list : AGENT_LISTS) {
      root.path(list).forEach(agent -> removeField(agent, "agentDeleted"));
    }
    root.path("messageRecords")
        .forEach(
            message -> message.path("messageData").forEach(part -> removeField(part, "preview")));
  }

  private static void removeField(JsonNode node, String field) {
    if (node instanceof ObjectNode object) {
      object.remove(field);
    }
  }

  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = JsonNodeFactory.instance.objectNode();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      names.forEach(name -> sorted.set(name, canonical(node.get(name))));
      return sorted;
    }
    if (node.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> array.add(canonical(element)));
      return array;
    }
    return node;
  }
}
