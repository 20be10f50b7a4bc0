package io.lparchiver.sim.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsTest {

  @Test
  void everyFaultKindIsInjectedAndCounted() throws Exception {
    SeededDataSet data = Fixtures.dataSet(11);
    Faults faults =
        Faults.builder()
            .tooManyRequests(1, 0)
            .serverErrors(1)
            .droppedConnections(1)
            .partialResults(1)
            .partialRecords(2)
            .build();
    try (LivePersonSimulator sim = Fixtures.started(data, faults)) {
      SimClient client = new SimClient(sim);
      List<Integer> statuses = new ArrayList<>();
      int dropped = 0;
      boolean sawPartialPage = false;
      List<JsonNode> partialRecords = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        SimClient.Reply r;
        try {
          r = client.post(Fixtures.searchQuery(0, 20), Fixtures.allWindow());
        } catch (IOException e) {
          dropped++;
          statuses.add(-1);
          continue;
        }
        statuses.add(r.status());
        if (r.status() == 429) {
          assertThat(r.raw().headers().firstValue("Retry-After")).contains("0");
        }
        if (r.status() != 200) {
          continue;
        }
        JsonNode page = r.json();
        if (page.at("/_metadata/shardsStatusResult/partialResult").asBoolean()) {
          sawPartialPage = true;
          assertThat(page.get("conversationHistoryRecords").size()).isLessThan(20);
          assertThat(page.at("/_metadata/count").asInt()).isEqualTo(200);
        }
        page.get("conversationHistoryRecords")
            .forEach(
                rec -> {
                  if (rec.at("/info/isPartial").asBoolean()) {
                    partialRecords.add(rec);
                  }
                });
      }
      assertThat(statuses.get(0)).isEqualTo(200);
      assertThat(statuses).contains(429, 500).contains(-1);
      assertThat(dropped).isEqualTo(1);
      assertThat(sawPartialPage).isTrue();
      assertThat(partialRecords).isNotEmpty();
      FaultCounters counters = sim.faultCounters();
      assertThat(counters).isEqualTo(new FaultCounters(1, 1, 1, 2, 1));
      assertThat(counters.total()).isEqualTo(6);

      JsonNode partial = partialRecords.get(0);
      String id = partial.at("/info/conversationId").asText();
      int full = data.conversation(id).orElseThrow().get("messageRecords").size();
      assertThat(partial.get("messageRecords").size()).isLessThan(full);
      SimClient.Reply whole =
          client.post(Fixtures.BY_ID + "?source=t", "{\"conversationId\":\"" + id + "\"}");
      JsonNode rec = whole.json().at("/conversationHistoryRecords/0");
      assertThat(rec.at("/info/isPartial").asBoolean()).isFalse();
      assertThat(rec.get("messageRecords").size()).isEqualTo(full);
    }
  }

  @Test
  void faultsAreSpacedSoOneRetrySucceeds() throws Exception {
    try (LivePersonSimulator sim =
        Fixtures.started(Fixtures.dataSet(11), Faults.builder().serverErrors(3).build())) {
      SimClient client = new SimClient(sim);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        statuses.add(client.post(Fixtures.searchQuery(0, 5), Fixtures.allWindow()).status());
      }
      assertThat(statuses).containsExactly(200, 500, 200, 500, 200, 500, 200, 200);
    }
  }

  @Test
  void burstsWithSpacingOne() throws Exception {
    Faults faults = Faults.builder().tooManyRequests(2, 1).spacing(1).build();
    try (LivePersonSimulator sim = Fixtures.started(Fixtures.dataSet(11), faults)) {
      SimClient client = new SimClient(sim);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(client.post(Fixtures.searchQuery(0, 5), Fixtures.allWindow()).status());
      }
      assertThat(statuses).containsExactly(200, 429, 429, 200);
    }
  }

  @Test
  void invalidRequestsDoNotConsumeFaults() throws Exception {
    try (LivePersonSimulator sim =
        Fixtures.started(Fixtures.dataSet(11), Faults.builder().serverErrors(1).build())) {
      SimClient client = new SimClient(sim);
      assertThat(client.post(Fixtures.searchQuery(0, 5), "{}").status()).isEqualTo(400);
      assertThat(client.post(Fixtures.searchQuery(0, 5), Fixtures.allWindow()).status())
          .isEqualTo(200);
      assertThat(client.post(Fixtures.searchQuery(0, 5), Fixtures.allWindow()).status())
          .isEqualTo(500);
    }
  }

  @Test
  void noneInjectsNothing() throws Exception {
    try (LivePersonSimulator sim = Fixtures.started(Fixtures.dataSet(11), Faults.none())) {
      SimClient client = new SimClient(sim);
      for (int i = 0; i < 6; i++) {
        assertThat(client.post(Fixtures.searchQuery(0, 50), Fixtures.allWindow()).status())
            .isEqualTo(200);
      }
      assertThat(sim.faultCounters().total()).isZero();
    }
  }
}
