package io.lparchiver.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.connect.sink.MailboxSinkConnector;
import io.lparchiver.connect.sink.PartitionLedger;
import io.lparchiver.connect.source.LivePersonSourceConnector;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimAgent;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.state.StateStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Both connectors on an embedded Kafka broker and a two-worker Connect cluster, reading the
 * LivePerson simulator and delivering into a Maildir and into the Microsoft Graph simulator. One
 * cluster for all steps (it takes ~15 s to start), so the steps run in order and build on each
 * other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectPipelineIT {

  private static final String TOPIC = "lp.conversations";
  private static final String DLQ = "lp.conversations.dlq";
  private static final String SOURCE = "lp-source";
  private static final String SINK = "lp-sink";
  private static final String FOLDER = "LivePerson Conversational Cloud DataParser";
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  // not @TempDir: the workers' tasks must be stopped before their state and archive are removed
  private Path dir;
  private EmbeddedConnectCluster connect;
  private LivePersonSimulator sim;
  private GraphSimulator graph;
  private SeededDataSet data;

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("lp-connect-it");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    data = SeededDataSet.generate(new DataSetSpec(120, 5, 42, now, 75, 20));
    sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .faults(Faults.none())
            .build()
            .start();
    // a Microsoft 365 tenant whose users are the agents and the fallback mailbox, with throttling
    GraphSimulator.Builder tenant =
        GraphSimulator.builder()
            .faults(GraphFaults.standard())
            .user(GraphUser.of("compliance-archive@brand.example"));
    data.agents().stream()
        .map(SimAgent::email)
        .distinct()
        .forEach(email -> tenant.user(GraphUser.of(email)));
    graph = tenant.build().start();
    Map<String, String> worker = new HashMap<>();
    worker.put("plugin.discovery", "hybrid_warn");
    // a stopped worker's tasks move after 2 s instead of the default 5 minutes
    worker.put("scheduled.rebalance.max.delay.ms", "2000");
    worker.put("offset.flush.interval.ms", "500");
    connect =
        new EmbeddedConnectCluster.Builder()
            .name("lp-archiver-it")
            .numWorkers(2)
            .numBrokers(1)
            .workerProps(worker)
            .build();
    connect.start();
    connect.kafka().createTopic(TOPIC, 4);
    connect.kafka().createTopic(DLQ, 1);
  }

  @AfterAll
  void stop() {
    if (connect != null) {
      connect.stop();
    }
    if (sim != null) {
      sim.close();
    }
    if (graph != null) {
      graph.close();
    }
    if (dir != null) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // leftovers in /tmp do not fail the test
      }
    }
  }

  @Test
  @Order(1)
  void everyClosedConversationLandsOncePerMailboxThroughAWorkerStopAndRestarts() throws Exception {
    connect.configureConnector(SOURCE, sourceConfig());
    connect.configureConnector(SINK, sinkConfig());
    connect
        .assertions()
        .assertConnectorAndAtLeastNumTasksAreRunning(SINK, 2, "sink connector did not start");

    // mid-run: the first copies are there, the rest are not
    waitFor("the first copies", () -> copies().size() > 0);
    int before = copies().size();
    connect.removeWorker();
    connect.restartConnectorAndTasks(SOURCE, false, true, false);
    connect.restartConnectorAndTasks(SINK, false, true, false);

    Set<String> closed = expectedConversations();
    waitFor(
        () -> "every closed conversation archived; missing " + missing(closed),
        () -> conversationsOnTarget().equals(closed));
    waitFor("the sink consumed the whole topic", this::sinkCaughtUp);

    Map<String, Integer> onTarget = copies();
    assertThat(before).as("copies when the worker stopped").isLessThan(onTarget.size());
    assertThat(onTarget.values()).as("copies per (mailbox, Message-ID)").containsOnly(1);
    assertThat(conversationsOnTarget()).isEqualTo(closed);
    assertThat(ledgerDeliveries())
        .as("ledger rows = copies on the target")
        .isEqualTo(onTarget.size());
  }

  @Test
  @Order(2)
  void readingEverythingAgainWritesNothingNew() throws Exception {
    Map<String, Integer> before = copies();
    long recordsBefore = connect.kafka().consumeAll(30_000, TOPIC).count();
    // forget the source's checkpoints: every window is read and produced again
    connect.deleteConnector(SOURCE);
    // source offsets belong to the connector's name: a new name starts from backfillFrom again
    connect.configureConnector(SOURCE + "-again", sourceConfig());
    waitFor(
        "every record produced a second time",
        () -> topicCount() >= recordsBefore + expectedConversations().size());
    waitFor("the sink consumed the whole topic", this::sinkCaughtUp);

    assertThat(copies()).as("nothing delivered twice").isEqualTo(before);
  }

  @Test
  @Order(3)
  void aPoisonRecordLandsInTheDeadLetterQueueWithItsStageAndReason() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
      ProducerRecord<byte[], byte[]> poison =
          new ProducerRecord<>(
              TOPIC,
              "12345678:poison-1".getBytes(StandardCharsets.UTF_8),
              "{not json".getBytes(StandardCharsets.UTF_8));
      poison.headers().add(RecordFormat.CHANNEL, "messaging".getBytes(StandardCharsets.UTF_8));
      poison
          .headers()
          .add(RecordFormat.CONVERSATION_ID, "poison-1".getBytes(StandardCharsets.UTF_8));
      producer.send(poison).get();
    }
    ConsumerRecords<byte[], byte[]> dead = connect.kafka().consume(1, 60_000, DLQ);
    ConsumerRecord<byte[], byte[]> record = dead.iterator().next();
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    String message = header(record, "__connect.errors.exception.message");
    assertThat(message).startsWith("lp-archiver parse: ").contains("not valid JSON");
    assertThat(header(record, "__connect.errors.topic")).isEqualTo(TOPIC);
    assertThat(connect.connectorStatus(SINK).tasks())
        .as("the sink keeps running")
        .allMatch(t -> t.state().equals("RUNNING"));
  }

  @Test
  @Order(4)
  void aGraphSinkOnTheSameTopicDeliversEachConversationOncePerMailboxDespiteThrottling()
      throws Exception {
    Map<String, String> c = sinkConfig();
    c.put("target.type", "graph");
    c.put("target.graph.tenantId", graph.tenantId());
    c.put("target.graph.clientId", graph.clientId());
    c.put("target.graph.clientSecret", GraphSimulator.DEMO_CLIENT_SECRET);
    c.put("target.graph.authority", graph.authority().toString());
    c.put("target.graph.baseUrl", graph.baseUrl().toString());
    // a second sink on the same topic keeps its own ledgers
    c.put("state.dir", dir.resolve("graph-state").toString());
    c.put("errors.deadletterqueue.topic.name", DLQ + ".graph");
    connect.configureConnector(SINK + "-graph", c);

    waitFor("the first Graph items", () -> !graphCopies().isEmpty());
    connect.restartConnectorAndTasks(SINK + "-graph", false, true, false);
    Set<String> expected = expectedConversations();
    waitFor(
        () -> "every conversation in Microsoft 365; have " + graphConversations().size(),
        () -> graphConversations().equals(expected));

    assertThat(graphCopies().values()).as("items per (mailbox, Message-ID)").containsOnly(1);
    assertThat(graph.counters().throttled()).as("429s answered").isPositive();
  }

  /** Items in the tenant's archive folders by (mailbox, Message-ID). */
  private Map<String, Integer> graphCopies() {
    Map<String, Integer> copies = new TreeMap<>();
    for (GraphUser user : graph.users()) {
      graph
          .mailbox(user.mail())
          .ifPresent(
              view ->
                  view.messagesInInboxChild(FOLDER)
                      .forEach(
                          m ->
                              copies.merge(
                                  user.mail() + " " + m.json().path("internetMessageId").asText(),
                                  1,
                                  Integer::sum)));
    }
    return copies;
  }

  private Set<String> graphConversations() {
    return conversations(graphCopies().keySet());
  }

  private Map<String, String> baseConfig() {
    SimulatorCredentials creds = SimulatorCredentials.demo();
    Map<String, String> c = new HashMap<>();
    c.put("source.liveperson.account", sim.account());
    c.put("source.liveperson.domainApi", sim.domainApiUri().toString());
    c.put("source.liveperson.allowedHosts", "127.0.0.1");
    c.put("source.liveperson.auth.consumerKey", creds.consumerKey());
    c.put("source.liveperson.auth.consumerSecret", creds.consumerSecret());
    c.put("source.liveperson.auth.token", creds.token());
    c.put("source.liveperson.auth.tokenSecret", creds.tokenSecret());
    c.put("source.liveperson.channels", "messaging,chat");
    c.put(
        "source.liveperson.backfillFrom",
        Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(80, ChronoUnit.DAYS).toString());
    c.put("mapping.fallbackMailbox", "compliance-archive@brand.example");
    c.put("target.type", "maildir");
    c.put("target.maildir.root", dir.resolve("archive").toString());
    c.put("state.dir", dir.resolve("state").toString());
    c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("header.converter", "org.apache.kafka.connect.storage.StringConverter");
    return c;
  }

  private Map<String, String> sourceConfig() {
    Map<String, String> c = baseConfig();
    c.put("connector.class", LivePersonSourceConnector.class.getName());
    c.put("tasks.max", "2");
    c.put(LivePersonSourceConnector.TOPIC, TOPIC);
    return c;
  }

  private Map<String, String> sinkConfig() {
    Map<String, String> c = baseConfig();
    c.put("connector.class", MailboxSinkConnector.class.getName());
    c.put("tasks.max", "2");
    c.put("topics", TOPIC);
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", DLQ);
    c.put("errors.deadletterqueue.topic.replication.factor", "1");
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    return c;
  }

  /** Copies in the Maildir by (mailbox, Message-ID). */
  private Map<String, Integer> copies() {
    Map<String, Integer> copies = new TreeMap<>();
    Path root = dir.resolve("archive");
    if (!Files.isDirectory(root)) {
      return copies;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        Path parent = f.getParent();
        if (parent.getFileName().toString().equals("tmp")
            || !parent.getParent().getFileName().toString().equals("." + "INBOX." + FOLDER)) {
          continue;
        }
        copies.merge(root.relativize(f).getName(0) + " " + messageId(f), 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return copies;
  }

  private static String messageId(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
          return line.substring(11).trim();
        }
      }
    }
    throw new IllegalStateException(file + " has no Message-ID");
  }

  /**
   * Conversations on the target as {@code channel:id}, from the Message-IDs {@code
   * <lp.{account}.{id}.v{n}@lp-archiver>} and {@code <lp.chat.{account}.{id}.v{n}@lp-archiver>}.
   */
  private Set<String> conversationsOnTarget() {
    return conversations(copies().keySet());
  }

  private static Set<String> conversations(Set<String> copies) {
    return copies.stream()
        .map(k -> k.substring(k.indexOf(' ') + 1))
        .map(
            id -> {
              boolean chat = id.startsWith("<lp.chat.");
              String rest = id.substring(chat ? 9 : 4, id.lastIndexOf(".v"));
              return (chat ? "chat:" : "messaging:") + rest.substring(rest.indexOf('.') + 1);
            })
        .collect(Collectors.toSet());
  }

  private Set<String> expectedConversations() {
    Set<String> all = new java.util.HashSet<>();
    data.closedConversationIds().forEach(id -> all.add("messaging:" + id));
    data.chatIds().forEach(id -> all.add("chat:" + id));
    return all;
  }

  private long ledgerDeliveries() {
    AtomicLong rows = new AtomicLong();
    for (int p = 0; p < 4; p++) {
      Path state = PartitionLedger.dir(dir.resolve("state"), new TopicPartition(TOPIC, p));
      if (Files.exists(state)) {
        try (StateStore store = StateStore.openReadOnly(state, Clock.systemUTC())) {
          store.exportLog(entry -> rows.incrementAndGet());
        }
      }
    }
    return rows.get();
  }

  private boolean sinkCaughtUp() {
    try (Admin admin = connect.kafka().createAdminClient()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("connect-" + SINK).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < 4; p++) {
        latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get();
      return ends.entrySet().stream()
          .allMatch(
              e ->
                  e.getValue().offset() == 0
                      || (committed.get(e.getKey()) != null
                          && committed.get(e.getKey()).offset() >= e.getValue().offset()));
    } catch (Exception e) {
      return false;
    }
  }

  private long topicCount() {
    try (Admin admin = connect.kafka().createAdminClient()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < 4; p++) {
        latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
          .sum();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private String missing(Set<String> expected) {
    Set<String> on = conversationsOnTarget();
    Set<String> gone = new java.util.TreeSet<>(expected);
    gone.removeAll(on);
    Set<String> extra = new java.util.TreeSet<>(on);
    extra.removeAll(expected);
    return gone.size() + " " + gone.stream().limit(5).toList() + ", unexpected " + extra;
  }

  private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    waitFor(() -> what, condition);
  }

  private static void waitFor(java.util.function.Supplier<String> what, BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what.get() + ": not within " + PATIENCE);
      }
      Thread.sleep(250);
    }
  }
}
