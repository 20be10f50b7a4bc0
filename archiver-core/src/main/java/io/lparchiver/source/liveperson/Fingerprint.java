package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The version identity of a Messaging Interactions or Engagement History record: hex SHA-256 of its
 * canonical form (keys sorted recursively, compact, numbers as read) after removing fields that
 * change without the conversation changing:
 *
 * <ul>
 *   <li>{@code info.duration} while the conversation is not CLOSE: it runs up to the time of
 *       retrieval.
 *   <li>{@code agentDeleted} (in {@code info} and every agent participant list): the agent's
 *       current account state, not part of the conversation; deleting an agent must not create a
 *       new version of every conversation they handled.
 *   <li>{@code messageData.*.preview}: the base64 thumbnail only the by-id endpoint returns, so a
 *       record re-fetched by id (after {@code isPartial}) fingerprints like one from the search.
 *   <li>Engagement History's {@code info.chatDataEnriched} / {@code isChatDataEnriched}: the flag
 *       flipping alone is no change to the chat (what enrichment adds changes the fingerprint
 *       anyway). EH records have no {@code status}, so their {@code duration} is left out too; it
 *       follows from the start and end times.
 *   <li>Sections the archiver does not ask for in {@code contentToRetrieve} ({@code messageScores},
 *       {@code responseTime} (also volatile while open), {@code intents}, ...): the by-id endpoint
 *       returns every section unasked.
 * </ul>
 *
 * <p>Not neutralised (a known limit): the search returns "partial" SDEs while by-id returns all, so
 * a record re-fetched by id may fingerprint differently when it has several SDE updates.
 *
 * <p>Everything else counts: a post-survey answer, an edited summary, masking or a late message all
 * make a new fingerprint.
 */
final class Fingerprint {

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

  private Fingerprint() {}

  static String of(JsonNode record) {
    return sha256(canonicalJson(record));
  }

  /** The canonical form, exposed for tests and for explaining a version change. */
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

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
