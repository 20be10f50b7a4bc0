package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.AgentUser;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Window;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.FaultCounters;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.RecordedRequest;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimAgent;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.source.FetchRequest;
import io.lparchiver.source.SourceException;
import io.lparchiver.source.SourceRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against the LivePerson simulator on 127.0.0.1, with faults. */
class LivePersonSimulatorIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "12345678";
  private static final Instant END = Instant.parse("2025-03-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(END, ZoneOffset.UTC);
  private static final int SPAN_DAYS = 200; // more than 3 months: the source must split it
  private static final Window ALL = new Window(END.minus(SPAN_DAYS, ChronoUnit.DAYS), END);
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

  private LivePersonSimulator start(Faults faults) {
    SeededDataSet data =
        SeededDataSet.generate(new DataSetSpec(250, 6, 42L, END, SPAN_DAYS), ACCOUNT);
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
    return simulator;
  }

  private LivePersonClient client(OAuth1Credentials credentials) {
    LivePersonSettings settings =
        new LivePersonSettings(
            ACCOUNT,
            simulator.domainApiUri(),
            credentials,
            "lp-archiver-it",
            FAST,
            AllowedHosts.of("127.0.0.1"));
    return LivePersonClient.create(settings, CLOCK, waits::add);
  }

  private static OAuth1Credentials demoCredentials() {
    SimulatorCredentials demo = SimulatorCredentials.demo();
    return new OAuth1Credentials(
        demo.consumerKey(), demo.consumerSecret(), demo.token(), demo.tokenSecret());
  }

  private static List<FetchedConversation> parsed(List<SourceRecord> records) {
    assertThat(records).allSatisfy(r -> assertThat(r).isInstanceOf(SourceRecord.Parsed.class));
    return records.stream().map(r -> ((SourceRecord.Parsed) r).fetched()).toList();
  }

  private static List<SourceRecord> fetchAll(LivePersonClient client, FetchRequest request) {
    try (Stream<SourceRecord> stream = client.messaging().fetch(request)) {
      return stream.toList();
    }
  }

  @Test
  void everyClosedConversationArrivesExactlyOnceAndWholeDespiteFaults() throws IOException {
    start(Faults.standard());

    List<FetchedConversation> fetched =
        parsed(fetchAll(client(demoCredentials()), FetchRequest.of(ALL)));

    Map<String, FetchedConversation> byId =
        fetched.stream().collect(Collectors.toMap(f -> f.conversation().id(), Function.identity()));
    assertThat(fetched).hasSameSizeAs(byId.values()); // no duplicates
    assertThat(byId.keySet())
        .containsExactlyInAnyOrderElementsOf(simulator.dataSet().closedConversationIds());
    for (FetchedConversation f : fetched) {
      String id = f.conversation().id();
      JsonNode expected = simulator.dataSet().conversation(id).orElseThrow();
      JsonNode raw = JSON.readTree(f.rawRecord());
      assertThat(raw.at("/info/isPartial").asBoolean()).as("partial %s", id).isFalse();
      assertThat(raw.get("messageRecords"))
          .as("messages of %s", id)
          .isEqualTo(expected.get("messageRecords"));
      assertThat(f.conversation().messages()).hasSize(expected.get("messageRecords").size());
      assertThat(f.conversation().isClosed()).isTrue();
      assertThat(f.sourceSha256()).isEqualTo(Fingerprint.sha256(f.rawRecord()));
    }

    FaultCounters faults = simulator.faultCounters();
    assertThat(faults.tooManyRequests()).isPositive();
    assertThat(faults.serverErrors()).isPositive();
    assertThat(faults.partialResults()).isPositive();
    assertThat(faults.partialRecords()).isPositive();
    assertThat(faults.droppedConnections()).isPositive();
    assertThat(waits).contains(Duration.ofSeconds(1)); // the simulator's Retry-After
  }

  @Test
  void aWindowOverThreeMonthsIsSplitAndPagedWithTheRequiredParameters() {
    start(Faults.none());

    List<SourceRecord> records = fetchAll(client(demoCredentials()), FetchRequest.of(ALL));

    assertThat(records).hasSize(simulator.dataSet().closedConversationIds().size());
    List<RecordedRequest> searches =
        simulator.requestLog().stream()
            .filter(r -> r.path().endsWith("/conversations/search"))
            .toList();
    assertThat(searches)
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.query())
                  .contains("limit=100", "sort=start%3Aasc", "v=2", "source=lp-archiver-it");
            });
    assertThat(searches).extracting(RecordedRequest::query).anyMatch(q -> q.contains("offset=100"));
    long firstPages = searches.stream().filter(r -> r.query().contains("offset=0&")).count();
    assertThat(firstPages)
        .isEqualTo(ALL.split(MessagingInteractionsSource.MAX_WINDOW).size())
        .isEqualTo(3);
  }

  @Test
  void latestUpdateTimeReturnsOnlyConversationsUpdatedSinceAndTheirNewVersion() {
    start(Faults.none());
    LivePersonClient client = client(demoCredentials());
    String id = simulator.dataSet().closedConversationIds().get(3);
    FetchedConversation before =
        parsed(fetchAll(client, FetchRequest.of(ALL))).stream()
            .filter(f -> f.conversation().id().equals(id))
            .findFirst()
            .orElseThrow();
    Instant later = END.plus(2, ChronoUnit.HOURS);
    simulator
        .dataSet()
        .touch(
            id, rec -> ((ObjectNode) rec).putObject("summary").put("text", "edited later"), later);

    List<FetchedConversation> updated =
        parsed(fetchAll(client, new FetchRequest(ALL, Optional.of(END.plus(1, ChronoUnit.HOURS)))));

    assertThat(updated).extracting(f -> f.conversation().id()).containsExactly(id);
    assertThat(updated.get(0).conversation().summary()).contains("edited later");
    assertThat(updated.get(0).fingerprint()).isNotEqualTo(before.fingerprint());
  }

  @Test
  void aWrongSecretIsAnAuthenticationErrorThatNamesTheKeyAndHidesTheSecret() {
    start(Faults.none());
    SimulatorCredentials demo = SimulatorCredentials.demo();
    OAuth1Credentials wrong =
        new OAuth1Credentials(
            demo.consumerKey(), "wrong-secret-123", demo.token(), demo.tokenSecret());

    assertThatThrownBy(() -> fetchAll(client(wrong), FetchRequest.of(ALL)))
        .isInstanceOf(SourceException.class)
        .satisfies(
            e -> {
              assertThat(((SourceException) e).kind())
                  .isEqualTo(SourceException.Kind.AUTHENTICATION);
              assertThat(e.getMessage())
                  .contains("source.liveperson.auth.consumerSecret")
                  .contains("Engagement History")
                  .doesNotContain("wrong-secret-123")
                  .doesNotContain(demo.consumerSecret())
                  .doesNotContain(demo.tokenSecret());
            });
  }

  @Test
  void usersApiListsDeletedUsersAndResolvesByIdPidAndLogin() {
    start(Faults.none());
    UsersApiClient users = client(demoCredentials()).users();
    List<SimAgent> listed =
        simulator.dataSet().agents().stream().filter(SimAgent::inUsersApi).toList();

    assertThat(users.users()).hasSize(listed.size());
    assertThat(users.users()).anyMatch(AgentUser::deleted);
    for (SimAgent agent : listed) {
      AgentUser user = users.find(agent.id()).orElseThrow();
      assertThat(user.email()).contains(agent.email());
      assertThat(user.deleted()).isEqualTo(agent.deleted());
      assertThat(users.find(agent.pid())).contains(user);
      assertThat(users.find(ACCOUNT + "." + agent.id())).contains(user);
      assertThat(users.find(agent.loginName().toUpperCase(java.util.Locale.ROOT))).contains(user);
    }
    SimAgent unlisted =
        simulator.dataSet().agents().stream()
            .filter(a -> !a.inUsersApi())
            .findFirst()
            .orElseThrow();
    assertThat(users.find(unlisted.id())).isEmpty();
    assertThat(users.find("")).isEmpty();

    List<AgentUser> before = users.users();
    assertThat(users.refresh()).isEqualTo(before); // 304: the cache stays
    simulator.dataSet().bumpUsersRevision();
    assertThat(users.refresh()).isEqualTo(before); // 200 with the same users
    assertThat(simulator.requestLog())
        .filteredOn(r -> r.path().endsWith("/le-users/users"))
        .extracting(RecordedRequest::status)
        .containsExactly(200, 304, 200);
    assertThat(simulator.requestLog())
        .filteredOn(r -> r.path().endsWith("/le-users/users"))
        .allSatisfy(r -> assertThat(r.query()).contains("v=4.0", "include_deleted=true"));
  }
}
