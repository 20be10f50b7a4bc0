package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.Channel;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Window;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.FaultCounters;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.RecordedRequest;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.source.FetchRequest;
import io.lparchiver.source.SourceRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The chat source against the simulator's Engagement History search, with faults. */
class EngagementHistorySourceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "12345678";
  private static final Instant END = Instant.parse("2025-03-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(END, ZoneOffset.UTC);
  private static final int SPAN_DAYS = 100;
  // 130 days: more than four months to split, and a first month with no chats (204)
  private static final Window ALL = new Window(END.minus(130, ChronoUnit.DAYS), END);
  private static final RetryPolicy FAST =
      new RetryPolicy(
          5,
          Duration.ofMillis(1),
          Duration.ofMillis(4),
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          2);

  private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
  private LivePersonSimulator simulator;

  @AfterEach
  void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }

  private EngagementHistorySource start(Faults faults) {
    SeededDataSet data =
        SeededDataSet.generate(new DataSetSpec(10, 5, 9L, END, SPAN_DAYS).withChats(450), ACCOUNT);
    simulator =
        LivePersonSimulator.builder()
            .account(ACCOUNT)
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .faults(faults)
            .clock(CLOCK)
            .build()
            .start();
    SimulatorCredentials demo = SimulatorCredentials.demo();
    OAuth1Credentials credentials =
        new OAuth1Credentials(
            demo.consumerKey(), demo.consumerSecret(), demo.token(), demo.tokenSecret());
    return LivePersonClient.create(
            new LivePersonSettings(
                ACCOUNT,
                simulator.domainApiUri(),
                credentials,
                "lp-archiver-it",
                FAST,
                AllowedHosts.of("127.0.0.1")),
            CLOCK,
            waits::add)
        .chat();
  }

  private static List<FetchedConversation> fetch(EngagementHistorySource source, FetchRequest r) {
    try (Stream<SourceRecord> stream = source.fetch(r)) {
      List<SourceRecord> records = stream.toList();
      assertThat(records).allSatisfy(x -> assertThat(x).isInstanceOf(SourceRecord.Parsed.class));
      return records.stream().map(x -> ((SourceRecord.Parsed) x).fetched()).toList();
    }
  }

  private List<RecordedRequest> searches() {
    return simulator.requestLog().stream()
        .filter(r -> r.path().endsWith("/interactions/search"))
        .toList();
  }

  @Test
  void everyChatArrivesExactlyOnceAndWholeDespiteThrottlingErrorsAndPartialRecords()
      throws Exception {
    EngagementHistorySource source = start(Faults.standard());

    List<FetchedConversation> fetched = fetch(source, FetchRequest.of(ALL));

    assertThat(fetched)
        .extracting(f -> f.conversation().id())
        .containsExactlyElementsOf(simulator.dataSet().chatIds()); // start:asc, no duplicates
    for (FetchedConversation f : fetched) {
      JsonNode raw = JSON.readTree(f.rawRecord());
      JsonNode stored =
          simulator.dataSet().chats().stream()
              .filter(c -> c.at("/info/engagementId").asText().equals(f.conversation().id()))
              .findFirst()
              .orElseThrow();
      assertThat(raw.at("/info/isPartial").asBoolean()).isFalse();
      assertThat(raw.at("/transcript/lines").toString())
          .isEqualTo(stored.at("/transcript/lines").toString());
      assertThat(f.conversation().channel()).isEqualTo(Channel.CHAT);
      assertThat(f.conversation().isClosed()).isTrue();
    }
    FaultCounters faults = simulator.faultCounters();
    assertThat(faults.tooManyRequests()).as("302 throttles").isPositive();
    assertThat(faults.serverErrors()).isPositive();
    assertThat(faults.partialResults()).isPositive();
    assertThat(faults.partialRecords()).isPositive();
    assertThat(faults.droppedConnections()).isPositive();
    assertThat(searches()).extracting(RecordedRequest::status).contains(302, 500, 204);
    assertThat(simulator.requestLog())
        .as("the 302 is never followed")
        .noneMatch(r -> r.path().contains("too-many-requests"));
  }

  @Test
  void windowsAreSplitToAMonthAndPagedWithTheRequiredParameters() {
    EngagementHistorySource source = start(Faults.none());

    assertThat(fetch(source, FetchRequest.of(ALL))).hasSize(450);

    assertThat(searches())
        .allSatisfy(
            r ->
                assertThat(r.query())
                    .contains("limit=100", "sort=start%3Aasc", "source=lp-archiver-it"));
    assertThat(searches())
        .extracting(RecordedRequest::query)
        .anyMatch(q -> q.contains("offset=100"));
    long firstPages = searches().stream().filter(r -> r.query().startsWith("offset=0&")).count();
    assertThat(firstPages)
        .isEqualTo(ALL.split(EngagementHistorySource.MAX_WINDOW).size())
        .isEqualTo(5);
    assertThat(searches()).extracting(RecordedRequest::status).containsOnly(200, 204);
  }

  @Test
  void aChatNotYetEnrichedIsAskedForAgainByEngagementId() {
    EngagementHistorySource source = start(Faults.none());
    String id = simulator.dataSet().chatIds().get(5);
    simulator
        .dataSet()
        .touchChat(id, c -> ((ObjectNode) c.get("info")).put("chatDataEnriched", false));

    List<FetchedConversation> fetched = fetch(source, FetchRequest.of(ALL));

    FetchedConversation chat =
        fetched.stream().filter(f -> f.conversation().id().equals(id)).findFirst().orElseThrow();
    assertThat(new String(chat.rawRecord(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"chatDataEnriched\":true");
    assertThat(fetched).hasSize(450);
  }

  @Test
  void updatedSinceReReadsOnlyChatsThatStartedWithinTheLookback() {
    EngagementHistorySource source = start(Faults.none());
    Instant since = END.minus(3, ChronoUnit.DAYS);
    Instant from = since.minus(EngagementHistorySource.UPDATE_LOOKBACK);

    List<FetchedConversation> fetched = fetch(source, new FetchRequest(ALL, Optional.of(since)));

    long expected =
        simulator.dataSet().chats().stream()
            .filter(c -> c.at("/info/startTimeL").asLong() >= from.toEpochMilli())
            .count();
    assertThat(expected).isPositive();
    assertThat(fetched).hasSize((int) expected);
    Window old = new Window(END.minus(60, ChronoUnit.DAYS), END.minus(30, ChronoUnit.DAYS));
    assertThat(EngagementHistorySource.effectiveWindow(new FetchRequest(old, Optional.of(since))))
        .isEmpty();
  }

  @Test
  void fetchByIdReadsAnyChatStillHeldWithoutTimeLimitsAndNothingForAnUnknownId() throws Exception {
    EngagementHistorySource source = start(Faults.none());
    // the oldest chat: months before the clock, outside any one-month window ending now
    String oldest = simulator.dataSet().chatIds().get(0);
    JsonNode stored =
        simulator.dataSet().chats().stream()
            .filter(c -> c.at("/info/engagementId").asText().equals(oldest))
            .findFirst()
            .orElseThrow();
    assertThat(Instant.ofEpochMilli(stored.at("/info/startTimeL").asLong()))
        .isBefore(END.minus(60, ChronoUnit.DAYS));

    Optional<SourceRecord> record = source.fetchById(oldest);

    assertThat(record).containsInstanceOf(SourceRecord.Parsed.class);
    FetchedConversation f = ((SourceRecord.Parsed) record.get()).fetched();
    assertThat(f.conversation().id()).isEqualTo(oldest);
    assertThat(f.conversation().channel()).isEqualTo(Channel.CHAT);
    assertThat(JSON.readTree(f.rawRecord()).at("/transcript/lines").toString())
        .isEqualTo(stored.at("/transcript/lines").toString());
    assertThat(source.fetchById(ACCOUNT + "999999999")).isEmpty();
    assertThat(searches()).hasSize(1 + 2); // one answer; the unknown id asked maxRefetches times
    assertThat(searches()).allSatisfy(r -> assertThat(r.query()).contains("source=lp-archiver-it"));
  }
}
