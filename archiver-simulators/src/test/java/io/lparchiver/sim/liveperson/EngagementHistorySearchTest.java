package io.lparchiver.sim.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngagementHistorySearchTest {
  private static final String EH =
      "/interaction_history/api/account/" + Fixtures.ACCOUNT + "/interactions/search";
  private static final long DAY = 86_400_000L;
  private static final long END = Fixtures.END.toEpochMilli();

  private SeededDataSet data;
  private LivePersonSimulator sim;
  private SimClient client;

  private void start(Faults faults) {
    data = SeededDataSet.generate(new DataSetSpec(20, 5, 3, Fixtures.END, 60).withChats(150));
    sim = Fixtures.started(data, faults);
    client = new SimClient(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private SimClient.Reply search(String query, long from, long to) throws Exception {
    return client.post(EH + query, Fixtures.window(from, to, ""));
  }

  private static String query(int offset, int limit) {
    return "?offset=" + offset + "&limit=" + limit + "&sort=start:asc&source=archiverTest";
  }

  @Test
  void pagesChatsOfAMonthInStartOrderWithMetadataLinks() throws Exception {
    start(Faults.none());
    long from = END - 30 * DAY;
    SimClient.Reply first = search(query(0, 20), from, END);

    assertThat(first.status()).isEqualTo(200);
    JsonNode meta = first.json().get("_metadata");
    int count = meta.get("count").asInt();
    assertThat(count).isGreaterThan(20);
    assertThat(meta.at("/next/href").asText()).contains("offset=20&limit=20");
    assertThat(meta.at("/self/href").asText()).contains(EH + "?offset=0");
    assertThat(meta.at("/last/href").asText()).contains("offset=" + (count - 1) / 20 * 20);
    JsonNode records = first.json().get("interactionHistoryRecords");
    assertThat(records).hasSize(20);
    long previous = 0;
    for (JsonNode r : records) {
      assertThat(r.at("/info/startTimeL").asLong()).isGreaterThanOrEqualTo(previous);
      assertThat(r.at("/info/ended").asBoolean()).isTrue();
      previous = r.at("/info/startTimeL").asLong();
    }
  }

  @Test
  void chatsCoverEveryLineKindAndShareTheMessagingAgents() {
    data = SeededDataSet.generate(new DataSetSpec(20, 5, 3, Fixtures.END, 60).withChats(24));
    List<String> agentIds = data.agents().stream().map(SimAgent::id).toList();
    StringBuilder all = new StringBuilder();
    data.chats().forEach(all::append);

    assertThat(all)
        .contains("\"textType\":\"html\"", "\"textType\":\"url\"", "\"textType\":\"rich-content\"")
        .contains("\"subType\":\"ONLY_TO_REP\"", "transferred the chat to", "\"source\":\"system\"")
        .contains("\"postChat\":[{", "\"operator\":[{", "PERSONAL_INFO", "<script>");
    for (var chat : data.chats()) {
      assertThat(agentIds).contains(chat.at("/info/agentId").asText());
    }
    sim = Fixtures.started(data, Faults.none()); // for stop()
  }

  @Test
  void nothingMatchingIs204WithoutABody() throws Exception {
    start(Faults.none());
    SimClient.Reply r = search(query(0, 100), END + DAY, END + 2 * DAY);

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void validatesWindowSourceAndLimit() throws Exception {
    start(Faults.none());
    long from = END - 40 * DAY;

    assertThat(search(query(0, 100), from, from + 31 * DAY).status()).isEqualTo(200);
    assertThat(search(query(0, 100), from, from + 31 * DAY + 1).status()).isEqualTo(400);
    assertThat(client.post(EH + "?offset=0&limit=100", Fixtures.window(from, END, "")).status())
        .isEqualTo(400);
    assertThat(search(query(0, 101), from, from + DAY).status()).isEqualTo(400);
    assertThat(search("?offset=-1&source=t", from, from + DAY).status()).isEqualTo(400);
    assertThat(client.post(EH + query(0, 10), "{}").status()).isEqualTo(400);
    assertThat(search("?sort=colour:asc&source=t", from, from + DAY).status()).isEqualTo(400);
    assertThat(client.post(EH + query(0, 10), "{\"skillIds\":[1]}").status()).isEqualTo(400);
  }

  @Test
  void boundsAreRoundedOutwardToTenMinutes() throws Exception {
    start(Faults.none());
    JsonNode chat = data.chats().get(10);
    long startL = chat.at("/info/startTimeL").asLong();

    // a window just after the chat's start still finds it: from is rounded down
    SimClient.Reply r = search(query(0, 100), startL + 1, startL + 2);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("interactionHistoryRecords").toString())
        .contains(chat.at("/info/engagementId").asText());
  }

  @Test
  void byEngagementIdHasNoTimeLimitAndNeverFaults() throws Exception {
    start(Faults.builder().serverErrors(5).spacing(1).build());
    String id = data.chatIds().get(3);

    SimClient.Reply r = client.post(EH + query(0, 1), "{\"engagementId\":\"" + id + "\"}");
    SimClient.Reply unknown = client.post(EH + query(0, 1), "{\"engagementId\":\"999\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/interactionHistoryRecords/0/info/engagementId").asText())
        .isEqualTo(id);
    assertThat(unknown.status()).isEqualTo(204);
    assertThat(sim.faultCounters().total()).isZero();
  }

  @Test
  void byEngagementIdIgnoresTheStartWindowAcceptsANumberAndPages() throws Exception {
    start(Faults.none());
    String id = data.chatIds().get(3);
    // a window over a month long that does not contain the chat: ignored with the id
    String farAway =
        "\"start\":{\"from\":" + (END + 40 * DAY) + ",\"to\":" + (END + 90 * DAY) + "}";

    SimClient.Reply asNumber =
        client.post(EH + query(0, 10), "{\"engagementId\":" + id + "," + farAway + "}");
    SimClient.Reply pastIt = client.post(EH + query(1, 10), "{\"engagementId\":\"" + id + "\"}");
    SimClient.Reply blank = client.post(EH + query(0, 10), "{\"engagementId\":\" \"}");

    assertThat(asNumber.status()).isEqualTo(200);
    assertThat(asNumber.json().at("/_metadata/count").asInt()).isEqualTo(1);
    assertThat(asNumber.json().at("/interactionHistoryRecords/0/info/engagementId").asText())
        .isEqualTo(id);
    assertThat(pastIt.status()).isEqualTo(204);
    assertThat(blank.status()).isEqualTo(400);
  }

  @Test
  void throttlingIsA302ThatPointsElsewhereAndPartialChatsAreWholeById() throws Exception {
    start(Faults.builder().tooManyRequests(1, 1).partialRecords(1).build());
    long from = END - 30 * DAY;

    SimClient.Reply ok = search(query(0, 100), from, END);
    SimClient.Reply throttled = search(query(0, 100), from, END);

    assertThat(throttled.status()).isEqualTo(302);
    assertThat(throttled.raw().headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("too-many-requests"));
    assertThat(throttled.body()).contains("Too many requests");
    JsonNode partial = ok.json().at("/interactionHistoryRecords/0");
    assertThat(partial.at("/info/isPartial").asBoolean()).isTrue();
    assertThat(partial.at("/info/chatDataEnriched").asBoolean()).isFalse();
    String id = partial.at("/info/engagementId").asText();
    JsonNode whole =
        client
            .post(EH + query(0, 1), "{\"engagementId\":\"" + id + "\"}")
            .json()
            .at("/interactionHistoryRecords/0");
    assertThat(whole.at("/info/isPartial").asBoolean()).isFalse();
    assertThat(whole.at("/transcript/lines").size())
        .isGreaterThan(partial.at("/transcript/lines").size());
    assertThat(Instant.ofEpochMilli(whole.at("/info/endTimeL").asLong())).isBefore(Fixtures.END);
  }
}
