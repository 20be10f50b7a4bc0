package io.lparchiver.sim.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessagingSearchTest {
  private static SeededDataSet data;
  private static LivePersonSimulator sim;
  private static SimClient client;

  @BeforeAll
  static void start() {
    data = Fixtures.dataSet(42);
    sim = Fixtures.started(data, Faults.none());
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static SimClient.Reply search(String body) throws Exception {
    return client.post(Fixtures.searchQuery(0, 100), body);
  }

  private static JsonNode records(SimClient.Reply r) {
    return r.json().get("conversationHistoryRecords");
  }

  @Test
  void signedSearchReturnsEnvelope() throws Exception {
    SimClient.Reply r = search(Fixtures.allWindow());
    assertThat(r.status()).isEqualTo(200);
    JsonNode meta = r.json().get("_metadata");
    assertThat(meta.get("count").asInt()).isEqualTo(200);
    assertThat(meta.at("/self/rel").asText()).isEqualTo("self");
    assertThat(meta.at("/self/href").asText()).contains("/conversations/search?offset=0");
    assertThat(meta.at("/shardsStatusResult/partialResult").asBoolean()).isFalse();
    assertThat(records(r)).hasSize(100);
    assertThat(sim.requestLog()).anySatisfy(q -> assertThat(q.status()).isEqualTo(200));
  }

  @Test
  void badSecretWrongKeyAndMissingHeaderAre401() throws Exception {
    SimulatorCredentials demo = SimulatorCredentials.demo();
    SimClient badSecret =
        new SimClient(
            sim,
            new SimulatorCredentials(
                demo.consumerKey(), "wrong-secret", demo.token(), demo.tokenSecret()));
    SimClient.Reply r = badSecret.post(Fixtures.searchQuery(0, 10), Fixtures.allWindow());
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().at("/error/message").asText()).contains("signature");

    SimClient wrongKey =
        new SimClient(
            sim,
            new SimulatorCredentials(
                "other-key", demo.consumerSecret(), demo.token(), demo.tokenSecret()));
    assertThat(wrongKey.post(Fixtures.searchQuery(0, 10), Fixtures.allWindow()).status())
        .isEqualTo(401);

    SimClient.Reply none =
        client.postWithAuthorization(Fixtures.searchQuery(0, 10), Fixtures.allWindow(), null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().at("/error/message").asText()).contains("Authorization");
  }

  @Test
  void signatureCoversTheQuery() throws Exception {
    String signedFor = client.authorization("POST", Fixtures.searchQuery(0, 10));
    SimClient.Reply r =
        client.postWithAuthorization(Fixtures.searchQuery(10, 10), Fixtures.allWindow(), signedFor);
    assertThat(r.status()).isEqualTo(401);
  }

  @Test
  void validationErrorsAre400() throws Exception {
    assertThat(search("{}").status()).isEqualTo(400);
    assertThat(search("{}").json().at("/error/message").asText()).contains("start");
    assertThat(search("{\"start\":{\"from\":1}}").status()).isEqualTo(400);

    long to = Fixtures.END.toEpochMilli();
    long from = to - 93L * 86_400_000L;
    SimClient.Reply tooLong = search(Fixtures.window(from, to, ""));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().at("/error/message").asText()).contains("over 3 months");
    assertThat(search(Fixtures.window(to - 92L * 86_400_000L, to, "")).status()).isEqualTo(200);

    assertThat(client.post(Fixtures.searchQuery(0, 101), Fixtures.allWindow()).status())
        .isEqualTo(400);
    assertThat(client.post(Fixtures.SEARCH + "?offset=0&limit=10", Fixtures.allWindow()).status())
        .isEqualTo(400);
    assertThat(
            client
                .post(
                    Fixtures.SEARCH + "?limit=10&source=abcdefghijklmnopqrstu",
                    Fixtures.allWindow())
                .status())
        .isEqualTo(400);
    assertThat(client.post(Fixtures.SEARCH + "?sort=duration:asc&source=t", Fixtures.allWindow()))
        .extracting(SimClient.Reply::status)
        .isEqualTo(400);
    assertThat(search(Fixtures.window(0, 1, ",\"agentIds\":[\"1\"]")).status()).isEqualTo(400);
  }

  @Test
  void defaultLimitIs50AndOffsetIsZeroBased() throws Exception {
    SimClient.Reply r =
        client.post(Fixtures.SEARCH + "?sort=start:asc&source=t", Fixtures.allWindow());
    assertThat(records(r)).hasSize(50);
    SimClient.Reply second = client.post(Fixtures.searchQuery(1, 1), Fixtures.allWindow());
    assertThat(records(second).get(0).at("/info/conversationId").asText())
        .isEqualTo(records(r).get(1).at("/info/conversationId").asText());
  }

  @Test
  void pagingCoversEveryConversationExactlyOnce() throws Exception {
    List<String> seen = new ArrayList<>();
    int count = Integer.MAX_VALUE;
    long previousStart = Long.MIN_VALUE;
    for (int offset = 0, pages = 0; offset < count && pages < 20; offset += 37, pages++) {
      SimClient.Reply r = client.post(Fixtures.searchQuery(offset, 37), Fixtures.allWindow());
      assertThat(r.status()).isEqualTo(200);
      count = r.json().at("/_metadata/count").asInt();
      for (JsonNode rec : records(r)) {
        seen.add(rec.at("/info/conversationId").asText());
        long start = rec.at("/info/startTimeL").asLong();
        assertThat(start).isGreaterThanOrEqualTo(previousStart);
        previousStart = start;
      }
    }
    assertThat(count).isEqualTo(200);
    assertThat(seen).doesNotHaveDuplicates().hasSize(200);
    assertThat(new HashSet<>(seen))
        .isEqualTo(
            new HashSet<>(
                data.conversations().stream()
                    .map(c -> c.at("/info/conversationId").asText())
                    .toList()));
  }

  @Test
  void sortDescending() throws Exception {
    SimClient.Reply r =
        client.post(Fixtures.SEARCH + "?limit=100&sort=start:desc&source=t", Fixtures.allWindow());
    long prev = Long.MAX_VALUE;
    for (JsonNode rec : records(r)) {
      assertThat(rec.at("/info/startTimeL").asLong()).isLessThanOrEqualTo(prev);
      prev = rec.at("/info/startTimeL").asLong();
    }
  }

  @Test
  void defaultContentLeavesOutNonDefaultSections() throws Exception {
    Set<String> keys = new HashSet<>();
    for (int offset = 0; offset < 200; offset += 100) {
      records(client.post(Fixtures.searchQuery(offset, 100), Fixtures.allWindow()))
          .forEach(rec -> rec.fieldNames().forEachRemaining(keys::add));
    }
    assertThat(keys)
        .contains("info", "messageRecords", "agentParticipants", "transfers", "sdes", "campaign")
        .contains("consumerParticipants", "consumerParticipant")
        .doesNotContain("dialogs", "monitoring", "skillChanges", "unAuthSdes");
  }

  @Test
  void contentToRetrieveReturnsOnlyTheListedSections() throws Exception {
    SimClient.Reply r =
        search(
            Fixtures.allWindow()
                .replaceFirst(
                    "}$",
                    ",\"contentToRetrieve\":[\"dialogs\",\"messageRecords\",\"unAuthSdes\","
                        + "\"consumerParticipants\"]}"));
    assertThat(r.status()).isEqualTo(200);
    Set<String> keys = new HashSet<>();
    records(r).forEach(rec -> rec.fieldNames().forEachRemaining(keys::add));
    assertThat(keys)
        .containsExactlyInAnyOrder(
            "info",
            "dialogs",
            "messageRecords",
            "unAuthSdes",
            "consumerParticipants",
            "consumerParticipant");
    records(r).forEach(rec -> assertThat(rec.has("dialogs")).isTrue());

    SimClient.Reply v1 =
        client.post(
            Fixtures.SEARCH + "?limit=100&v=1&source=t",
            Fixtures.allWindow().replaceFirst("}$", ",\"contentToRetrieve\":[\"unAuthSdes\"]}"));
    records(v1).forEach(rec -> assertThat(rec.has("unAuthSdes")).isFalse());

    assertThat(
            search(
                    Fixtures.allWindow()
                        .replaceFirst("}$", ",\"contentToRetrieve\":[\"everything\"]}"))
                .status())
        .isEqualTo(400);
  }

  @Test
  void statusFilter() throws Exception {
    int closed = countFor(",\"status\":[\"CLOSE\"]");
    int open = countFor(",\"status\":[\"OPEN\"]");
    assertThat(closed).isEqualTo(data.closedConversationIds().size());
    assertThat(open).isEqualTo(data.openConversationIds().size()).isPositive();
    assertThat(countFor(",\"status\":[\"OPEN\",\"CLOSE\"]")).isEqualTo(200);
    SimClient.Reply openPage =
        search(Fixtures.allWindow().replaceFirst("}$", ",\"status\":[\"OPEN\"]}"));
    for (JsonNode rec : records(openPage)) {
      assertThat(rec.at("/info/endTimeL").asLong()).isEqualTo(-1);
      assertThat(rec.at("/info/endTime").asText()).isEqualTo("undefined");
      assertThat(rec.at("/info/duration").asLong())
          .isEqualTo(Fixtures.END.toEpochMilli() - rec.at("/info/startTimeL").asLong());
    }
  }

  private static int countFor(String extra) throws Exception {
    SimClient.Reply r = search(Fixtures.allWindow().replaceFirst("}$", extra + "}"));
    assertThat(r.status()).isEqualTo(200);
    return r.json().at("/_metadata/count").asInt();
  }

  @Test
  void latestUpdateTimeFiltersOnLastUpdateRoundedDown() throws Exception {
    List<String> ids = data.closedConversationIds();
    long threshold = data.lastUpdateTime(ids.get(150)).toEpochMilli();
    long rounded = Math.floorDiv(threshold, 600_000L) * 600_000L;
    long expected =
        data.conversations().stream()
            .map(c -> c.at("/info/conversationId").asText())
            .filter(id -> data.lastUpdateTime(id).toEpochMilli() >= rounded)
            .count();
    assertThat(countFor(",\"latestUpdateTime\":{\"from\":" + threshold + "}"))
        .isEqualTo((int) expected)
        .isLessThan(200);
  }

  @Test
  void windowBoundsAreRoundedOutwardSoNeighboursOverlap() throws Exception {
    ObjectNode target =
        data.conversations().stream()
            .filter(
                c -> {
                  long mod = c.at("/info/startTimeL").asLong() % 600_000L;
                  return mod > 0 && mod < 599_998L;
                })
            .findFirst()
            .orElseThrow();
    long start = target.at("/info/startTimeL").asLong();
    String id = target.at("/info/conversationId").asText();
    String before = Fixtures.window(start - 86_400_000L, start - 1, "");
    String after = Fixtures.window(start + 1, start + 86_400_000L, "");
    assertThat(idsOf(search(before))).contains(id);
    assertThat(idsOf(search(after))).contains(id);
  }

  private static List<String> idsOf(SimClient.Reply r) {
    List<String> ids = new ArrayList<>();
    records(r).forEach(rec -> ids.add(rec.at("/info/conversationId").asText()));
    return ids;
  }

  @Test
  void byIdReturnsTheWholeRecord() throws Exception {
    String id = data.closedConversationIds().get(1);
    SimClient.Reply r =
        client.post(Fixtures.BY_ID + "?source=t", "{\"conversationId\":\"" + id + "\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/_metadata/count").asInt()).isEqualTo(1);
    JsonNode rec = records(r).get(0);
    assertThat(rec.toString()).isEqualTo(data.conversation(id).orElseThrow().toString());
    assertThat(rec.has("dialogs")).isTrue();
    assertThat(rec.has("monitoring")).isTrue();
    assertThat(rec.at("/info/isPartial").asBoolean()).isFalse();

    SimClient.Reply missing =
        client.post(Fixtures.BY_ID + "?source=t", "{\"conversationId\":\"nope\"}");
    assertThat(missing.json().at("/_metadata/count").asInt()).isZero();
    assertThat(client.post(Fixtures.BY_ID + "?source=t", "{}").status()).isEqualTo(400);
    assertThat(client.post(Fixtures.BY_ID, "{\"conversationId\":\"" + id + "\"}").status())
        .isEqualTo(400);
  }

  @Test
  void otherAccountIs403() throws Exception {
    SimClient.Reply r =
        client.post(
            "/messaging_history/api/account/999/conversations/search?source=t",
            Fixtures.allWindow());
    assertThat(r.status()).isEqualTo(403);
  }

  @Test
  void closingAnOpenConversationBumpsItsUpdateTime() throws Exception {
    SeededDataSet own = Fixtures.dataSet(42);
    try (LivePersonSimulator other = Fixtures.started(own, Faults.none())) {
      SimClient c = new SimClient(other);
      String id = own.openConversationIds().get(0);
      long closedAt = Fixtures.END.minusSeconds(60).toEpochMilli();
      own.closeConversation(id, Fixtures.END.minusSeconds(60));
      SimClient.Reply r =
          c.post(Fixtures.BY_ID + "?source=t", "{\"conversationId\":\"" + id + "\"}");
      JsonNode info = records(r).get(0).get("info");
      assertThat(info.get("status").asText()).isEqualTo("CLOSE");
      assertThat(info.get("endTimeL").asLong()).isEqualTo(closedAt);
      assertThat(own.closedConversationIds()).contains(id);
      SimClient.Reply updated =
          c.post(
              Fixtures.searchQuery(0, 100),
              Fixtures.allWindow()
                  .replaceFirst("}$", ",\"latestUpdateTime\":{\"from\":" + closedAt + "}}"));
      assertThat(idsOf(updated)).containsExactly(id);
    }
  }
}
