package io.lparchiver.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.connect.sink.MailboxSinkConnector;
import io.lparchiver.connect.sink.PartitionLedger;
import io.lparchiver.connect.source.LivePersonSourceConnector;
import io.lparchiver.model.Channel;
import io.lparchiver.model.MessageKey;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.FileFaults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.RecordedRequest;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimAgent;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.state.SharedFileRecord;
import io.lparchiver.state.StateStore;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Both connectors on an embedded Kafka broker and a two-worker Connect cluster with exactly-once
 * source support (KIP-618): one worker embedded, one in a JVM of its own that the first step
 * SIGKILLs mid-run. They read the LivePerson simulator (hosted files on, the first URL of each
 * expired, one file removed by RTBF; long-open conversations) and deliver into a Maildir and into
 * the Microsoft Graph simulator. One cluster for all steps (it takes ~20 s to start), so the steps
 * run in order and build on each other.
 */
@Tag("kafka-connect")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectPipelineIT {

  private static final String TOPIC = "lp.conversations";
  private static final String DLQ = "lp.conversations.dlq";
  private static final String CHECKPOINTS = "lp.checkpoints";
  // the seeded conversations start within the last DATA_DAYS; the backfill reaches further back,
  // so the oldest slices hold nothing
  private static final int DATA_DAYS = 75;
  private static final Duration SLICE = Duration.ofDays(30);
  private static final String SOURCE = "lp-source";
  private static final String SINK = "lp-sink";
  private static final String FOLDER = "LivePerson Conversational Cloud DataParser";
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String GROUP = "lp-archiver-it";
  private static final ObjectMapper JSON = new ObjectMapper();

  // not @TempDir: the workers' tasks must be stopped before their state and archive are removed
  private Path dir;
  private EmbeddedConnectCluster connect;
  private LivePersonSimulator sim;
  private GraphSimulator graph;
  private SeededDataSet data;
  private ExternalWorker external;
  // open conversations old enough for an interim version (archive.openSnapshotAfter, 24 h)
  private Set<String> longOpen;
  private String young;
  private Instant backfillFrom;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("lp-connect-it");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    data = SeededDataSet.generate(new DataSetSpec(120, 5, 42, now, DATA_DAYS, 20));
    backfillFrom = now.minus(Duration.ofDays(DATA_DAYS + 2 * 30));
    sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .faults(Faults.none())
            // each file's first URL arrives expired (re-signed); one file is gone (RTBF)
            .fileFaults(new FileFaults(true, 1))
            .build()
            .start();
    // one open conversation started 3 h ago: too young for an interim version
    young = data.openConversationIds().get(0);
    long startL = now.minus(Duration.ofHours(3)).toEpochMilli();
    data.touch(
        young,
        r ->
            ((ObjectNode) r.get("info"))
                .put("startTimeL", startL)
                .put(
                    "startTime",
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ", Locale.ROOT)
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.ofEpochMilli(startL))),
        now.minus(Duration.ofHours(3)));
    longOpen = openStartedBefore(now.minus(Duration.ofHours(24)));
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
    Properties broker = new Properties();
    // transactions on a single broker (exactly-once source)
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    connect =
        new EmbeddedConnectCluster.Builder()
            .name("lp-archiver-it")
            .numWorkers(1)
            .numBrokers(1)
            .brokerProps(broker)
            .workerProps(workerProps())
            .build();
    connect.start();
    connect.kafka().createTopic(TOPIC, 4);
    connect.kafka().createTopic(DLQ, 1);
    connect.kafka().createTopic(CHECKPOINTS, 1, 1, Map.of("cleanup.policy", "compact"));
    external = ExternalWorker.start(workerProps(), connect.kafka().bootstrapServers(), dir);
    Properties secrets = new Properties();
    secrets.setProperty("consumerSecret", SimulatorCredentials.demo().consumerSecret());
    secrets.setProperty("tokenSecret", SimulatorCredentials.demo().tokenSecret());
    try (java.io.Writer out =
        Files.newBufferedWriter(dir.resolve("lp-secrets.properties"), StandardCharsets.UTF_8)) {
      secrets.store(out, "LivePerson secrets the workers' FileConfigProvider resolves");
    }
  }

  /** The same for the embedded and the external worker, so both join one cluster. */
  private static Map<String, String> workerProps() {
    Map<String, String> worker = new HashMap<>();
    worker.put("group.id", GROUP);
    worker.put("config.storage.topic", GROUP + "-configs");
    worker.put("offset.storage.topic", GROUP + "-offsets");
    worker.put("status.storage.topic", GROUP + "-status");
    worker.put("config.storage.replication.factor", "1");
    worker.put("offset.storage.replication.factor", "1");
    worker.put("status.storage.replication.factor", "1");
    worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("plugin.discovery", "hybrid_warn");
    worker.put("exactly.once.source.support", "enabled");
    // a dead worker's tasks move seconds after it stops heartbeating, not after minutes
    worker.put("session.timeout.ms", "6000");
    worker.put("heartbeat.interval.ms", "1000");
    worker.put("scheduled.rebalance.max.delay.ms", "2000");
    worker.put("consumer.session.timeout.ms", "6000");
    worker.put("consumer.heartbeat.interval.ms", "1000");
    worker.put("offset.flush.interval.ms", "500");
    // secrets stay out of the connector configs: the workers resolve ${file:...} references
    worker.put("config.providers", "file");
    worker.put(
        "config.providers.file.class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
    return worker;
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (external != null) {
      external.close();
    }
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
  void everyConversationLandsOncePerMailboxThroughAKilledWorkerAndRestarts() throws Exception {
    connect.configureConnector(SOURCE, sourceConfig());
    connect.configureConnector(SINK, sinkConfig());
    connect
        .assertions()
        .assertConnectorAndAtLeastNumTasksAreRunning(SINK, 2, "sink connector did not start");
    // the external worker runs a task of ours, loaded from its plugin.path
    waitFor(
        () -> "a task running on the external worker; tasks " + tasks(),
        () -> runningOn(external.workerId()) > 0);

    // mid-run: the first copies are there, the rest are not
    waitFor("the first copies", () -> copies().size() > 0);
    String killedTasks = tasks().toString();
    external.kill();
    int before = copies().size();
    waitFor(
        () -> "every task running on the surviving worker; tasks " + tasks(),
        () ->
            tasks().size() == 4
                && !tasks().containsValue(external.workerId())
                && runningTasks(SOURCE) == 2
                && runningTasks(SINK) == 2);
    connect.restartConnectorAndTasks(SOURCE, false, true, false);
    connect.restartConnectorAndTasks(SINK, false, true, false);

    Set<String> expected = expectedConversations();
    waitFor(
        () -> "every conversation archived; missing " + missing(expected),
        () -> conversationsOnTarget().equals(expected));
    waitFor("the sink consumed the whole topic", this::sinkCaughtUp);

    Map<String, Integer> onTarget = copies();
    assertThat(before)
        .as("copies when the worker was killed (its tasks: %s)", killedTasks)
        .isLessThan(onTarget.size());
    assertThat(onTarget.values()).as("copies per (mailbox, Message-ID)").containsOnly(1);
    assertThat(conversationsOnTarget()).isEqualTo(expected);
    assertThat(ledgerDeliveries())
        .as("ledger rows = copies on the target")
        .isEqualTo(onTarget.size());
    // the secrets reached LivePerson through the workers' config provider, never the config topic
    for (String name : List.of(SOURCE, SINK)) {
      assertThat(connect.connectorInfo(name).config())
          .containsEntry("source.liveperson.auth.tokenSecret", secretReference("tokenSecret"));
    }
  }

  @Test
  @Order(2)
  void eachSlicesCommittedOffsetIsItsCheckpointAndARestartedSourceAsksOnlyForChanges()
      throws Exception {
    List<String> slices = plannedSlices();
    Instant now = Instant.now();
    assertThat(slices)
        .as("slices that end before the seeded data begins")
        .anyMatch(s -> sliceStart(s).plus(SLICE).isBefore(now.minus(Duration.ofDays(DATA_DAYS))));
    // the source's first round is over once everything is archived (step 1); its last empty
    // windows may still be in flight
    waitFor(
        () -> "a checkpoint for every slice; stored " + sourceOffsets(),
        () -> sourceOffsets().keySet().equals(Set.copyOf(slices)));
    Map<String, Map<String, ?>> stored = sourceOffsets();
    Map<String, String> published = checkpointRecords();
    for (String slice : slices) {
      Map<String, ?> offset = stored.get(slice);
      Instant end = sliceStart(slice).plus(SLICE);
      Instant round = Instant.parse(offset.get("lastRoundStartedAt").toString());
      // a finished slice is read up to its end; the newest one up to where its round started
      assertThat(offset.get("cursor"))
          .as("cursor of %s", slice)
          .isEqualTo((end.isBefore(round) ? end : round).toString());
      if (end.isBefore(now.minus(Duration.ofDays(DATA_DAYS)))) {
        // no conversation record carried it: the checkpoint record did
        assertThat(published).as("checkpoint records").containsKey(slice);
        assertThat(JSON.readValue(published.get(slice), Map.class))
            .as("checkpoint record of %s", slice)
            .isEqualTo(offset);
      }
    }

    int asked = sim.requestLog().size();
    Instant restartedAt = Instant.now();
    connect.restartConnectorAndTasks(SOURCE, false, true, false);
    waitFor(
        () -> "every slice's next round stored; stored " + sourceOffsets(),
        () ->
            sourceOffsets().values().stream()
                .allMatch(
                    o ->
                        Instant.parse(o.get("lastRoundStartedAt").toString())
                            .isAfter(restartedAt)));

    List<JsonNode> searches = new ArrayList<>();
    List<RecordedRequest> log = sim.requestLog();
    for (RecordedRequest r : log.subList(asked, log.size())) {
      if (r.path().endsWith("/search")) {
        searches.add(JSON.readTree(r.searchCriteria()));
      }
    }
    assertThat(searches).as("the restarted source asked what changed").isNotEmpty();
    Instant recent = Instant.now().minus(Duration.ofHours(25));
    for (JsonNode criteria : searches) {
      // changes only (chat: the last day of start times), or start times not finished before
      assertThat(
              criteria.has("latestUpdateTime")
                  || Instant.ofEpochMilli(criteria.path("start").path("from").asLong())
                      .isAfter(recent))
          .as("a window read before the restart asked for again: %s", criteria)
          .isTrue();
    }
  }

  @Test
  @Order(3)
  void theSourceWritesInTransactionsAndTheSinkReadsOnlyCommittedRecords() throws Exception {
    // exactly.once.support=required: the worker accepted the connector's declaration
    assertThat(connect.connectorInfo(SOURCE).config())
        .containsEntry("exactly.once.support", "required");
    try (Admin admin = connect.kafka().createAdminClient()) {
      Set<String> transactional =
          admin.listTransactions().all().get().stream()
              .map(org.apache.kafka.clients.admin.TransactionListing::transactionalId)
              .collect(Collectors.toSet());
      // Connect's transactional id per source task: {group.id}-{connector}-{task}
      assertThat(transactional).contains(GROUP + "-" + SOURCE + "-0", GROUP + "-" + SOURCE + "-1");
    }
    Set<String> committed = committedKeys();
    assertThat(committed)
        .as("every archived conversation is in a committed transaction")
        .containsAll(
            expectedConversations().stream()
                .map(c -> sim.account() + ":" + c.substring(c.indexOf(':') + 1))
                .toList());
  }

  @Test
  @Order(4)
  void hostedFilesAreAttachedByteForByteWithTheirHashInTheLedger() throws Exception {
    String gone = sim.removedHostedFiles().get(0);
    Map<String, Set<String>> files = hostedFilesOf(data.closedConversationIds());
    assertThat(files.values().stream().mapToInt(Set::size).sum()).isGreaterThan(3);
    int checked = 0;
    for (Map.Entry<String, List<Path>> e : emailsByConversation().entrySet()) {
      Set<String> paths = files.get(e.getKey());
      if (paths == null) {
        continue;
      }
      for (Path email : e.getValue()) {
        MimeMessage mail = parse(email);
        for (String path : paths) {
          String name = path.substring(path.lastIndexOf('/') + 1);
          Part part = attachment(mail, name);
          if (path.equals(gone)) {
            assertThat(part).as("%s was removed by RTBF", name).isNull();
            continue;
          }
          assertThat(part).as("%s in %s", name, email).isNotNull();
          try (InputStream in = part.getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(sim.hostedFileContent(path));
          }
          checked++;
        }
      }
    }
    assertThat(checked).isPositive();

    Map<String, SharedFileRecord> ledger = sharedFileRows(files.keySet());
    assertThat(ledger.keySet())
        .containsExactlyInAnyOrderElementsOf(
            files.values().stream().flatMap(Set::stream).collect(Collectors.toSet()));
    for (SharedFileRecord row : ledger.values()) {
      if (row.relativePath().equals(gone)) {
        assertThat(row.status()).isEqualTo(SharedFileRecord.Status.UNAVAILABLE);
      } else {
        assertThat(row.status()).isEqualTo(SharedFileRecord.Status.ATTACHED);
        assertThat(row.sha256()).isEqualTo(sha256(sim.hostedFileContent(row.relativePath())));
      }
    }
  }

  @Test
  @Order(5)
  void aLongOpenConversationIsArchivedAsAnInterimVersion() throws Exception {
    assertThat(longOpen).as("the seeded data has long-open conversations").isNotEmpty();
    Map<String, List<Path>> emails = emailsByConversation();
    for (String id : longOpen) {
      assertThat(emails.get(id)).as("interim copies of %s", id).isNotEmpty();
      for (Path f : emails.get(id)) {
        MimeMessage m = parse(f);
        assertThat(m.getHeader("X-LivePerson-Status", null)).isEqualTo("OPEN");
        assertThat(m.getHeader("X-LivePerson-Version", null)).isEqualTo("1");
        assertThat(m.getSubject()).endsWith(id + " (open)");
      }
    }
    assertThat(emails.keySet()).as("open for 3 h: not archived yet").doesNotContain(young);
  }

  @Test
  @Order(6)
  void readingEverythingAgainWritesNothingNew() throws Exception {
    Map<String, Integer> before = copies();
    long recordsBefore = committedRecords();
    // forget the source's checkpoints: every window is read and produced again
    connect.deleteConnector(SOURCE);
    // source offsets belong to the connector's name: a new name starts from backfillFrom again
    connect.configureConnector(SOURCE + "-again", sourceConfig());
    waitFor(
        "every record produced a second time",
        () -> committedRecords() >= recordsBefore + expectedConversations().size());
    waitFor("the sink consumed the whole topic", this::sinkCaughtUp);

    assertThat(copies()).as("nothing delivered twice").isEqualTo(before);
  }

  @Test
  @Order(7)
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
    assertThat(header(record, RecordFormat.DLQ_STAGE)).isEqualTo("parse");
    assertThat(header(record, RecordFormat.DLQ_REASON)).contains("not valid JSON");
    assertThat(header(record, RecordFormat.DLQ_CONVERSATION)).isEqualTo("poison-1");
    assertThat(header(record, RecordFormat.CHANNEL))
        .as("the record's own headers")
        .isEqualTo("messaging");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("12345678:poison-1");
    assertThat(connect.connectorStatus(SINK).tasks())
        .as("the sink keeps running")
        .allMatch(t -> t.state().equals("RUNNING"));
  }

  @Test
  @Order(8)
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

  /**
   * The grid slices the source reads, {@code {account}/{channel}/{start}}: 30 days from the epoch.
   */
  private List<String> plannedSlices() {
    long width = SLICE.toMillis();
    Instant first = Instant.ofEpochMilli(Math.floorDiv(backfillFrom.toEpochMilli(), width) * width);
    List<String> slices = new ArrayList<>();
    for (String channel : List.of("messaging", "chat")) {
      for (Instant from = first; from.isBefore(Instant.now()); from = from.plus(SLICE)) {
        slices.add(sim.account() + "/" + channel + "/" + from);
      }
    }
    return slices;
  }

  private static Instant sliceStart(String slice) {
    return Instant.parse(slice.substring(slice.lastIndexOf('/') + 1));
  }

  /** The source's committed offsets as Connect's REST API reports them, by slice. */
  private Map<String, Map<String, ?>> sourceOffsets() {
    Map<String, Map<String, ?>> out = new TreeMap<>();
    for (ConnectorOffset o : connect.connectorOffsets(SOURCE).offsets()) {
      out.put(String.valueOf(o.partition().get("slice")), o.offset());
    }
    return out;
  }

  /** A consumer that reads from the start and only what transactions committed. */
  private KafkaConsumer<byte[], byte[]> committedReader() {
    return connect
        .kafka()
        .createConsumer(
            Map.of(
                "isolation.level", "read_committed",
                "auto.offset.reset", "earliest",
                "enable.auto.commit", "false"));
  }

  /** The last committed checkpoint record of each slice, its value as text. */
  private Map<String, String> checkpointRecords() {
    Map<String, String> out = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = committedReader()) {
      TopicPartition only = new TopicPartition(CHECKPOINTS, 0);
      consumer.assign(List.of(only));
      consumer.seekToBeginning(List.of(only));
      long end = consumer.endOffsets(List.of(only)).get(only);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (consumer.position(only) < end && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          out.put(
              new String(r.key(), StandardCharsets.UTF_8),
              new String(r.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
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
    c.put("source.liveperson.auth.consumerSecret", secretReference("consumerSecret"));
    c.put("source.liveperson.auth.token", creds.token());
    c.put("source.liveperson.auth.tokenSecret", secretReference("tokenSecret"));
    c.put("source.liveperson.channels", "messaging,chat");
    c.put("source.liveperson.backfillFrom", backfillFrom.toString());
    c.put("source.liveperson.files.enabled", "true");
    c.put("source.liveperson.files.login.username", sim.agentLogin().username());
    c.put("source.liveperson.files.login.password", sim.agentLogin().password());
    c.put("source.liveperson.retry.initialBackoff", "10ms");
    c.put("mapping.fallbackMailbox", "compliance-archive@brand.example");
    c.put("target.type", "maildir");
    c.put("target.maildir.root", dir.resolve("archive").toString());
    c.put("state.dir", dir.resolve("state").toString());
    c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("header.converter", "org.apache.kafka.connect.storage.StringConverter");
    return c;
  }

  /** A config provider reference to {@code name} in the test's secrets file. */
  private String secretReference(String name) {
    return "${file:" + dir.resolve("lp-secrets.properties") + ":" + name + "}";
  }

  private Map<String, String> sourceConfig() {
    Map<String, String> c = baseConfig();
    c.put("connector.class", LivePersonSourceConnector.class.getName());
    c.put("tasks.max", "2");
    c.put(LivePersonSourceConnector.TOPIC, TOPIC);
    c.put(LivePersonSourceConnector.CHECKPOINT_TOPIC, CHECKPOINTS);
    c.put("exactly.once.support", "required");
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
    c.put("consumer.override.isolation.level", "read_committed");
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
    longOpen.forEach(id -> all.add("messaging:" + id));
    return all;
  }

  private Set<String> openStartedBefore(Instant t) {
    Set<String> out = new java.util.HashSet<>();
    for (String id : data.openConversationIds()) {
      Instant start =
          Instant.ofEpochMilli(
              data.conversation(id).orElseThrow().path("info").path("startTimeL").asLong());
      assertThat(Duration.between(start, t).abs())
          .as("no open conversation turns 24 h old while the test runs")
          .isGreaterThan(Duration.ofMinutes(10));
      if (start.isBefore(t)) {
        out.add(id);
      }
    }
    return out;
  }

  /** Task id to worker id, of both connectors. */
  private Map<String, String> tasks() {
    Map<String, String> out = new TreeMap<>();
    for (String name : List.of(SOURCE, SINK)) {
      try {
        connect
            .connectorStatus(name)
            .tasks()
            .forEach(t -> out.put(name + "-" + t.id(), t.workerId()));
      } catch (RuntimeException e) {
        // not known yet, or the cluster is rebalancing
      }
    }
    return out;
  }

  private long runningOn(String workerId) {
    long running = 0;
    for (String name : List.of(SOURCE, SINK)) {
      try {
        running +=
            connect.connectorStatus(name).tasks().stream()
                .filter(t -> t.workerId().equals(workerId) && t.state().equals("RUNNING"))
                .count();
      } catch (RuntimeException e) {
        // not known yet, or the cluster is rebalancing
      }
    }
    return running;
  }

  private long runningTasks(String connector) {
    try {
      return connect.connectorStatus(connector).tasks().stream()
          .filter(t -> t.state().equals("RUNNING"))
          .count();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** The topic's records as a read_committed consumer sees them: aborted transactions left out. */
  private List<ConsumerRecord<byte[], byte[]>> committedTopic() {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = committedReader()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        partitions.add(new TopicPartition(TOPIC, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(500)).forEach(out::add);
      }
    }
    return out;
  }

  private long committedRecords() {
    return committedTopic().size();
  }

  private Set<String> committedKeys() {
    return committedTopic().stream()
        .map(r -> new String(r.key(), StandardCharsets.UTF_8))
        .collect(Collectors.toSet());
  }

  /** By the simulator's own records: the hosted files of each of {@code ids}. */
  private Map<String, Set<String>> hostedFilesOf(List<String> ids) {
    Map<String, Set<String>> out = new TreeMap<>();
    Set<String> wanted = Set.copyOf(ids);
    for (ObjectNode r : data.conversations()) {
      String id = r.path("info").path("conversationId").asText();
      if (!wanted.contains(id)) {
        continue;
      }
      Set<String> paths = new java.util.LinkedHashSet<>();
      for (JsonNode m : r.path("messageRecords")) {
        m.findValues("relativePath").forEach(p -> paths.add(p.asText()));
      }
      if (!paths.isEmpty()) {
        out.put(id, paths);
      }
    }
    return out;
  }

  /** Version 1's shared-file rows of {@code ids} from every partition's ledger, by path. */
  private Map<String, SharedFileRecord> sharedFileRows(Set<String> ids) {
    Map<String, SharedFileRecord> rows = new TreeMap<>();
    for (int p = 0; p < 4; p++) {
      Path state = PartitionLedger.dir(dir.resolve("state"), new TopicPartition(TOPIC, p));
      if (!Files.exists(state)) {
        continue;
      }
      try (StateStore store = StateStore.openReadOnly(state, Clock.systemUTC())) {
        for (String id : ids) {
          store
              .sharedFiles(new MessageKey(sim.account(), Channel.MESSAGING, id, 1))
              .forEach(r -> rows.put(r.relativePath(), r));
        }
      }
    }
    return rows;
  }

  /** The Maildir's archived emails by the conversation id they carry. */
  private Map<String, List<Path>> emailsByConversation() throws Exception {
    Map<String, List<Path>> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir.resolve("archive"))) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        if (f.getParent().getFileName().toString().equals("tmp")
            || !f.getParent().getParent().getFileName().toString().equals(".INBOX." + FOLDER)) {
          continue;
        }
        String id = parse(f).getHeader("X-LivePerson-Conversation-Id", null);
        out.computeIfAbsent(id, k -> new ArrayList<>()).add(f);
      }
    }
    return out;
  }

  private static MimeMessage parse(Path f) throws Exception {
    try (InputStream in = Files.newInputStream(f)) {
      return new MimeMessage(Session.getInstance(new Properties()), in);
    }
  }

  /** The attachment named {@code name}, anywhere in the MIME tree; null when there is none. */
  private static Part attachment(Part part, String name) throws Exception {
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        Part found = attachment(mp.getBodyPart(i), name);
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    return name.equals(part.getFileName()) ? part : null;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
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

  /**
   * The sink's committed offsets have passed the last committed record of every partition. Not the
   * end offset: with transactions the last offset is a commit marker, which Connect's sink never
   * commits past (it commits the offset after the last record it was given).
   */
  private boolean sinkCaughtUp() {
    try (Admin admin = connect.kafka().createAdminClient()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("connect-" + SINK).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> afterLast = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : committedTopic()) {
        afterLast.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
      }
      return afterLast.entrySet().stream()
          .allMatch(
              e ->
                  committed.get(e.getKey()) != null
                      && committed.get(e.getKey()).offset() >= e.getValue());
    } catch (Exception e) {
      return false;
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
