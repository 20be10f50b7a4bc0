package io.lparchiver.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.connect.RecordFormat;
import io.lparchiver.model.Channel;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.RecordedRequest;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The source task against the LivePerson simulator, with Connect's offsets kept in a map. */
class LivePersonSourceTaskTest {

  private static final int MAX_POLLS = 500;

  private static final ObjectMapper JSON = new ObjectMapper();

  private LivePersonSimulator sim;
  private SeededDataSet data;

  @BeforeEach
  void start() {
    // every conversation ended two days ago: none is inside the update lag of a later round
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.DAYS);
    data = SeededDataSet.generate(new DataSetSpec(60, 4, 7, end, 50));
    sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .faults(Faults.none())
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void everyClosedConversationAndEveryLongOpenOneIsProducedWithItsKeyAndHeaders() throws Exception {
    List<SourceRecord> records = conversations(runUntilCaughtUp(Map.of()));

    Set<String> longOpen = openStartedBefore(Instant.now().minus(24, ChronoUnit.HOURS));
    assertThat(longOpen).as("the seeded data has long-open conversations").isNotEmpty();
    Set<String> expected = new java.util.HashSet<>(data.closedConversationIds());
    expected.addAll(longOpen);
    assertThat(ids(records)).isEqualTo(expected);
    for (SourceRecord r : records) {
      String id = r.headers().lastWithName(RecordFormat.CONVERSATION_ID).value().toString();
      // an interim version: the sink archives it as a version of the open conversation
      assertThat(r.headers().lastWithName(RecordFormat.END))
          .as("end header of %s", id)
          .matches(h -> longOpen.contains(id) == (h == null));
    }
    SourceRecord first = records.get(0);
    String id = first.headers().lastWithName(RecordFormat.CONVERSATION_ID).value().toString();
    assertThat(first.key()).isEqualTo(sim.account() + ":" + id);
    assertThat(first.value()).isInstanceOf(byte[].class);
    assertThat(first.headers().lastWithName(RecordFormat.CHANNEL).value()).isEqualTo("messaging");
    assertThat(first.headers().lastWithName(RecordFormat.FINGERPRINT)).isNotNull();
    assertThat(first.headers().lastWithName(RecordFormat.START)).isNotNull();
  }

  @Test
  void aRestartedTaskResumesFromTheStoredOffsetsInsteadOfReadingAgain() throws Exception {
    List<SourceRecord> firstRun = runUntilCaughtUp(Map.of());
    Map<Map<String, Object>, Map<String, Object>> stored = storedOffsets(firstRun);
    assertThat(stored.values()).allMatch(o -> o.containsKey("cursor"));

    assertThat(conversations(runUntilCaughtUp(stored)))
        .as("after a restart with offsets")
        .isEmpty();
    assertThat(ids(runUntilCaughtUp(Map.of())))
        .as("without offsets everything comes again")
        .isEqualTo(ids(firstRun));
  }

  @Test
  void slicesThatHeldNothingStoreTheirCheckpointsAndAreNotAskedForThoseWindowsAgain()
      throws Exception {
    // the data spans the 50 days before two days ago: the older slices hold nothing
    Instant backfillFrom = Instant.now().minus(150, ChronoUnit.DAYS);
    Map<String, String> longBackfill =
        Map.of("source.liveperson.backfillFrom", backfillFrom.toString());
    List<SourceRecord> firstRun = runUntilCaughtUp(Map.of(), longBackfill);

    assertThat(firstRun)
        .as("checkpoint records of the empty slices")
        .anyMatch(r -> r.topic().equals(LivePersonSourceConnector.DEFAULT_CHECKPOINT_TOPIC));
    Map<Map<String, Object>, Map<String, Object>> stored = storedOffsets(firstRun);
    List<Slice> planned =
        Slice.plan(sim.account(), List.of(Channel.MESSAGING), backfillFrom, Instant.now());
    assertThat(stored.keySet())
        .as("every slice has a stored checkpoint")
        .containsExactlyInAnyOrderElementsOf(planned.stream().map(Slice::partition).toList());
    for (Slice slice : planned) {
      SliceOffset offset = SliceOffset.fromMap(stored.get(slice.partition()));
      assertThat(offset.lastRoundStartedAt()).as("round of %s", slice.id()).isPresent();
      // a finished slice's cursor is its end; the newest one's is where its round started
      assertThat(offset.cursor())
          .as("cursor of %s", slice.id())
          .isEqualTo(slice.to().or(offset::lastRoundStartedAt));
    }

    int asked = sim.requestLog().size();
    assertThat(conversations(runUntilCaughtUp(stored, longBackfill)))
        .as("after a restart")
        .isEmpty();
    List<JsonNode> searches = searchesSince(asked);
    assertThat(searches).as("one question per slice: what changed since").isNotEmpty();
    Instant recent = Instant.now().minus(25, ChronoUnit.HOURS);
    for (JsonNode criteria : searches) {
      // only changes, or start times not finished yet (open ones turning 24 h old)
      assertThat(
              criteria.has("latestUpdateTime")
                  || Instant.ofEpochMilli(criteria.path("start").path("from").asLong())
                      .isAfter(recent))
          .as("a finished window asked for again: %s", criteria)
          .isTrue();
    }
  }

  @Test
  void withInterimVersionsOffOnlyClosedConversationsAreProduced() throws Exception {
    List<SourceRecord> records =
        runUntilCaughtUp(Map.of(), Map.of("archive.openSnapshotAfter", "0s"));

    assertThat(ids(records)).isEqualTo(Set.copyOf(data.closedConversationIds()));
  }

  /** What Connect stores: per slice, the offset of its last acknowledged record. */
  private static Map<Map<String, Object>, Map<String, Object>> storedOffsets(
      List<SourceRecord> records) {
    Map<Map<String, Object>, Map<String, Object>> stored = new HashMap<>();
    for (SourceRecord r : records) {
      @SuppressWarnings("unchecked")
      Map<String, Object> partition = (Map<String, Object>) r.sourcePartition();
      @SuppressWarnings("unchecked")
      Map<String, Object> offset = (Map<String, Object>) r.sourceOffset();
      stored.put(partition, offset);
    }
    return stored;
  }

  /** The criteria of the searches LivePerson received after the first {@code skip} requests. */
  private List<JsonNode> searchesSince(int skip) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    List<RecordedRequest> log = sim.requestLog();
    for (RecordedRequest r : log.subList(skip, log.size())) {
      if (r.path().endsWith("/search")) {
        out.add(JSON.readTree(r.searchCriteria()));
      }
    }
    return out;
  }

  private Set<String> openStartedBefore(Instant t) {
    return data.openConversationIds().stream()
        .filter(
            id ->
                Instant.ofEpochMilli(
                        data.conversation(id)
                            .orElseThrow()
                            .path("info")
                            .path("startTimeL")
                            .asLong())
                    .isBefore(t))
        .collect(Collectors.toSet());
  }

  private List<SourceRecord> runUntilCaughtUp(Map<Map<String, Object>, Map<String, Object>> offsets)
      throws InterruptedException {
    return runUntilCaughtUp(offsets, Map.of());
  }

  private List<SourceRecord> runUntilCaughtUp(
      Map<Map<String, Object>, Map<String, Object>> offsets, Map<String, String> extra)
      throws InterruptedException {
    Map<String, String> props = new HashMap<>();
    SimulatorCredentials creds = SimulatorCredentials.demo();
    props.put("source.liveperson.account", sim.account());
    props.put("source.liveperson.domainApi", sim.domainApiUri().toString());
    props.put("source.liveperson.allowedHosts", "127.0.0.1");
    props.put("source.liveperson.auth.consumerKey", creds.consumerKey());
    props.put("source.liveperson.auth.consumerSecret", creds.consumerSecret());
    props.put("source.liveperson.auth.token", creds.token());
    props.put("source.liveperson.auth.tokenSecret", creds.tokenSecret());
    props.put(
        "source.liveperson.backfillFrom", Instant.now().minus(60, ChronoUnit.DAYS).toString());
    props.putAll(extra);
    LivePersonSourceConnector connector = new LivePersonSourceConnector();
    connector.start(props);
    List<Map<String, String>> taskConfigs = connector.taskConfigs(1);

    LivePersonSourceTask task = new LivePersonSourceTask();
    task.initialize(new MapContext(taskConfigs.get(0), offsets));
    task.start(taskConfigs.get(0));
    List<SourceRecord> out = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_POLLS && !task.caughtUp(); i++) {
        List<SourceRecord> batch = task.poll();
        if (batch != null) {
          out.addAll(batch);
        }
      }
      assertThat(task.caughtUp()).as("caught up within %d polls", MAX_POLLS).isTrue();
    } finally {
      task.stop();
      task.poll();
    }
    return out;
  }

  /** The conversation records, without the checkpoint records. */
  private static List<SourceRecord> conversations(List<SourceRecord> records) {
    return records.stream()
        .filter(r -> !r.topic().equals(LivePersonSourceConnector.DEFAULT_CHECKPOINT_TOPIC))
        .toList();
  }

  private static Set<String> ids(List<SourceRecord> records) {
    return conversations(records).stream()
        .map(r -> r.headers().lastWithName(RecordFormat.CONVERSATION_ID).value().toString())
        .collect(Collectors.toSet());
  }

  private record MapContext(
      Map<String, String> configs, Map<Map<String, Object>, Map<String, Object>> offsets)
      implements SourceTaskContext {

    @Override
    public OffsetStorageReader offsetStorageReader() {
      return new OffsetStorageReader() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> Map<String, Object> offset(Map<String, T> partition) {
          return offsets.get((Map<String, Object>) partition);
        }

        @Override
        public <T> Map<Map<String, T>, Map<String, Object>> offsets(
            Collection<Map<String, T>> partitions) {
          Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
          for (Map<String, T> p : partitions) {
            Map<String, Object> o = offset(p);
            if (o != null) {
              found.put(p, o);
            }
          }
          return found;
        }
      };
    }

    @Override
    public PluginMetrics pluginMetrics() {
      return null;
    }
  }
}
