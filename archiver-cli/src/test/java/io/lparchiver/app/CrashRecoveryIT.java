package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.graph.MailboxView;
import io.lparchiver.sim.graph.StoredMessage;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.testing.Dovecot;
import io.lparchiver.testing.TestCa;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 anywhere: runs {@code sync} from the real jar as its own process, kills it at seeded
 * random moments while LivePerson keeps changing conversations, restarts it, and then checks that
 * every conversation version is in each mailbox exactly once and that the ledger says the same.
 */
class CrashRecoveryIT {

  // 16 kills per target reach at least three pipeline stages in practice (KillStages); the
  // thorough mode -Dcrash.kills=30 is what docs/reliability.md's per-stage figures come from
  private static final int KILLS = Integer.getInteger("crash.kills", 16);
  // a round the sync finishes before its kill moment counts no kill (cheap: little was left)
  private static final int MAX_ROUNDS = 5 * KILLS;
  private static final int KILL_WITHIN_MILLIS = 1000;
  private static final String FOLDER_NAME = "LivePerson Conversational Cloud DataParser";
  private static final String FOLDER = ".INBOX." + FOLDER_NAME;
  private static final String IMAP_PASSWORD = "master-pass-for-the-test";
  // the data set's agents (seed 11) and the fallback: every address that can get a copy
  private static final List<String> MAILBOXES =
      SeededDataSet.generate(new DataSetSpec(1, 5, 11, Instant.EPOCH, 1)).agents().stream()
          .map(io.lparchiver.sim.liveperson.SimAgent::email)
          .collect(
              java.util.stream.Collectors.collectingAndThen(
                  java.util.stream.Collectors.toList(),
                  list -> {
                    List<String> all = new ArrayList<>(list);
                    all.add("compliance-archive@brand.example");
                    return List.copyOf(all);
                  }));

  @TempDir Path dir;
  @TempDir static Path shared;
  private java.util.function.Supplier<String> dovecotLog = () -> "";
  // -XX:SharedArchiveFile=… once the jar's classes are archived: each of the ~20 sync JVMs of a
  // target then starts in about two thirds of the CPU time (class loading is most of start-up)
  private static List<String> classDataSharing = List.of();

  /**
   * Archives the classes a sync loads (dynamic AppCDS) with one finished sync of a small data set.
   * Only start-up gets faster: what a kill can interrupt stays the same.
   */
  @BeforeAll
  static void archiveTheClassesASyncLoads() throws Exception {
    Path training = Files.createDirectories(shared.resolve("training"));
    Path archive = shared.resolve("lp-archiver.jsa");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    try (LivePersonSimulator sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(SeededDataSet.generate(new DataSetSpec(20, 5, 11, now, 60)))
            .faults(Faults.none())
            .build()
            .start()) {
      Path config = training.resolve("lp-archiver.yaml");
      Files.writeString(config, TestConfigs.demo(sim, now.minus(61, ChronoUnit.DAYS)));
      Path log = training.resolve("sync.log");
      Process sync = start(config, List.of("-XX:ArchiveClassesAtExit=" + archive), Map.of(), log);
      assertThat(sync.waitFor(180, TimeUnit.SECONDS)).as("training sync finishes").isTrue();
      assertThat(sync.exitValue()).as("training sync: %s", Files.readString(log)).isZero();
    }
    if (Files.exists(archive)) { // a JVM that cannot dump the archive just starts without it
      classDataSharing = List.of("-XX:SharedArchiveFile=" + archive);
    }
  }

  @Test
  void maildirKilledAtRandomMomentsHoldsEachVersionExactlyOnce() throws Exception {
    killAndRestart(
        sim -> configYaml(sim, "  type: maildir\n  maildir:\n    root: ./archive\n"),
        List.of(),
        Map.of(),
        () -> copiesOnTarget(dir.resolve("archive")));
  }

  /**
   * The same against the Graph simulator (in this JVM; each sync process talks to it over HTTP):
   * one complete, non-draft item per (version, mailbox), nothing anywhere else in the mailbox. A
   * low attachment limit makes every run externalise too, so the overflow store is killed mid-write
   * as well: every stored file must still be named by the SHA-256 of its content.
   */
  @Test
  void graphKilledAtRandomMomentsHoldsEachVersionExactlyOnce() throws Exception {
    GraphSimulator.Builder tenant = GraphSimulator.builder();
    MAILBOXES.forEach(m -> tenant.user(GraphUser.of(m)));
    try (GraphSimulator graph = tenant.build().start()) {
      killAndRestart(
          sim ->
              configYaml(
                  sim,
                  "  type: graph\n  graph:\n    tenantId: "
                      + graph.tenantId()
                      + "\n    clientId: "
                      + graph.clientId()
                      + "\n    clientSecret: ${LP_GRAPH_SECRET}\n    authority: "
                      + graph.authority()
                      + "\n    baseUrl: "
                      + graph.baseUrl()
                      + "\n    maxAttachmentSize: 3000\n"),
          List.of(),
          Map.of("LP_GRAPH_SECRET", GraphSimulator.DEMO_CLIENT_SECRET),
          () -> itemsInGraph(graph));
      assertThat(query("SELECT count(*) FROM deliveries WHERE outcome = 'externalised'"))
          .as("some copies were externalised")
          .isNotEqualTo("0");
      assertContentAddressed(dir.resolve("state/overflow"));
    }
  }

  /** The same against Dovecot over IMAP with STARTTLS, trusting a private CA as a user would. */
  @Test
  void imapKilledAtRandomMomentsHoldsEachVersionExactlyOnce() throws Exception {
    Dovecot.requireInstalled();
    // Dovecot's auth and mail processes run as other users: they must reach their files in here
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    TestCa ca = TestCa.create(dir);
    Path cert = ca.certificatePem();
    Path key = ca.keyPem();
    Path trust = dir.resolve("trust.p12");
    run(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-importcert",
            "-noprompt",
            "-alias",
            "dovecot",
            "-file",
            cert.toString(),
            "-keystore",
            trust.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "trust-pass"));
    Dovecot.Builder builder =
        Dovecot.builder(dir.resolve("dovecot")).tls(cert, key).master("archiver", IMAP_PASSWORD);
    for (String mailbox : MAILBOXES) {
      builder.user(mailbox, "unused-" + mailbox.hashCode());
    }
    try (Dovecot dovecot = builder.start()) {
      dovecotLog = dovecot::log;
      killAndRestart(
          sim ->
              configYaml(
                  sim,
                  "  type: imap\n  imap:\n    host: 127.0.0.1\n    port: "
                      + dovecot.port()
                      + "\n    security: starttls\n    mode: per-mailbox\n    username: archiver\n"
                      + "    password: ${LP_IMAP_PASSWORD}\n"),
          List.of(
              "-Djavax.net.ssl.trustStore=" + trust,
              "-Djavax.net.ssl.trustStorePassword=trust-pass"),
          Map.of("LP_IMAP_PASSWORD", IMAP_PASSWORD),
          () -> copiesOnTarget(dovecot.mailRoot()));
    }
  }

  private void killAndRestart(
      java.util.function.Function<LivePersonSimulator, String> config,
      List<String> jvmOptions,
      Map<String, String> environment,
      Target target)
      throws Exception {
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(300, 5, 11, now, 60));
    try (LivePersonSimulator sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .faults(Faults.none())
            .build()
            .start()) {
      Path configFile = dir.resolve("lp-archiver.yaml");
      Files.writeString(configFile, config.apply(sim));
      int kills = 0;
      KillStages stages = new KillStages();
      for (int round = 0; kills < KILLS && round < MAX_ROUNDS; round++) {
        // LivePerson keeps changing: every third round brings new versions to archive.
        if (round % 3 == 2) {
          editSummaries(data, random, 15);
        }
        long runsBefore = count("runs");
        long deliveriesBefore = count("deliveries");
        Process sync = start(configFile, jvmOptions, environment);
        // Kill moments count from the run's start, not the JVM's (on a loaded machine start-up
        // alone can outlast a fixed delay), and two rounds in three wait for the run's first
        // delivery: kills timed from the start alone mostly land while the first page is read.
        awaitCount(sync, "runs", runsBefore);
        if (random.nextInt(3) > 0) {
          awaitCount(sync, "deliveries", deliveriesBefore);
        }
        boolean finished = sync.waitFor(random.nextInt(KILL_WITHIN_MILLIS), TimeUnit.MILLISECONDS);
        if (!finished) {
          stages.beforeKill(sync, dir.resolve("sync.log"));
          sync.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          kills++;
        } else {
          assertThat(sync.exitValue()).as("sync exit code (seed %d): %s", seed, log()).isZero();
        }
      }
      assertThat(kills).as("kills (seed %d)", seed).isEqualTo(KILLS);
      System.out.println("CrashRecoveryIT stages at the kills (seed " + seed + "): " + stages);
      // kills that all land in JVM start-up would prove nothing about the pipeline
      assertThat(stages.pipelineStagesReached())
          .as("pipeline stages the kills interrupted (seed %d): %s", seed, stages)
          .hasSizeGreaterThanOrEqualTo(3);

      Process last = start(configFile, jvmOptions, environment);
      boolean done = last.waitFor(180, TimeUnit.SECONDS);
      if (!done) {
        last.destroyForcibly();
      }
      assertThat(done).as("final sync finishes (seed %d): %s", seed, tail(log())).isTrue();
      assertThat(last.exitValue()).as("final sync (seed %d): %s", seed, log()).isZero();

      Map<String, Integer> onTarget = target.copies();
      assertThat(onTarget.values())
          .as("copies per (mailbox, version) (seed %d)", seed)
          .containsOnly(1);
      assertThat(ledgerRows().keySet())
          .as("ledger = target (seed %d)", seed)
          .isEqualTo(onTarget.keySet());
      assertThat(integrityCheck()).isEqualTo("ok");
      assertThat(query("SELECT count(*) FROM dead_letters WHERE resolved_at IS NULL"))
          .as("open dead letters after the final run (seed %d)", seed)
          .isEqualTo("0");
      assertThat(distinctConversations(onTarget))
          .as("every closed conversation archived")
          .isEqualTo(data.closedConversationIds().size());
    }
  }

  /** What the target holds: (mailbox, Message-ID) → number of copies. */
  @FunctionalInterface
  private interface Target {
    Map<String, Integer> copies() throws Exception;
  }

  /** Items in the archive folder; fails on a draft, an incomplete item or one elsewhere. */
  private static Map<String, Integer> itemsInGraph(GraphSimulator graph) {
    Map<String, Integer> copies = new TreeMap<>();
    for (GraphUser user : graph.users()) {
      MailboxView view = graph.mailbox(user.mail()).orElseThrow();
      List<StoredMessage> archived = view.messagesInInboxChild(FOLDER_NAME);
      assertThat(view.messages())
          .as("items outside the archive folder of %s", user.mail())
          .hasSameSizeAs(archived);
      for (StoredMessage m : archived) {
        String key = property(m, "Name LpArchiverMessageKey");
        assertThat(m.isDraft()).as("draft %s in %s", key, user.mail()).isFalse();
        assertThat(m.attachments())
            .as("attachments of %s in %s", key, user.mail())
            .hasSize(Integer.parseInt(property(m, "Name LpArchiverAttachmentCount")));
        copies.merge(user.mail() + " " + key, 1, Integer::sum);
      }
    }
    return copies;
  }

  private static String property(StoredMessage m, String nameSuffix) {
    return m.extendedProperties().entrySet().stream()
        .filter(e -> e.getKey().endsWith(nameSuffix))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError(nameSuffix + " missing on " + m.id()));
  }

  /** Every file of the overflow store (temp folders aside) is named by its SHA-256. */
  private static void assertContentAddressed(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !root.relativize(p).getName(0).toString().startsWith("."))
              .toList();
      assertThat(files).as("overflow files").isNotEmpty();
      for (Path f : files) {
        assertThat(io.lparchiver.testing.OverflowStubs.sha256(f))
            .as("content of %s", f)
            .isEqualTo(f.getFileName().toString());
      }
    }
  }

  private String configYaml(LivePersonSimulator sim, String target) {
    String yaml =
        TestConfigs.demo(
            sim, Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(61, ChronoUnit.DAYS));
    int from = yaml.indexOf("target:\n") + "target:\n".length();
    int to = yaml.indexOf("state:\n");
    // Interim versions off (InterimVersionsTest covers them): the expected count of archived
    // conversations must not depend on an open conversation turning 24 h old during the runs.
    return yaml.substring(0, from)
        + target
        + yaml.substring(to)
        + "archive:\n  openSnapshotAfter: 0s\n";
  }

  private static String tail(String text) {
    return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
  }

  private String log() throws Exception {
    Path log = dir.resolve("sync.log");
    return (Files.exists(log) ? Files.readString(log) : "") + tail(dovecotLog.get());
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
  }

  private static void editSummaries(SeededDataSet data, Random random, int count) {
    List<String> ids = data.closedConversationIds();
    for (int i = 0; i < count; i++) {
      String id = ids.get(random.nextInt(ids.size()));
      data.touch(
          id,
          r ->
              r.set(
                  "summary",
                  r.objectNode()
                      .put("text", "edited " + random.nextLong())
                      .put("lastUpdatedTime", Instant.now().toEpochMilli())),
          Instant.now());
    }
  }

  private Process start(Path config, List<String> jvmOptions, Map<String, String> environment)
      throws Exception {
    List<String> options = new ArrayList<>(classDataSharing);
    options.addAll(jvmOptions);
    return start(config, options, environment, dir.resolve("sync.log"));
  }

  private static Process start(
      Path config, List<String> jvmOptions, Map<String, String> environment, Path log)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // short-lived JVMs: C1 only and the serial collector start faster and leave the cores to
    // the pipeline; neither changes what a kill can interrupt
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            System.getProperty("lp.jar", "target/lp-archiver.jar"),
            "sync",
            "--config",
            config.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** (mailbox, Message-ID) → number of files carrying it. */
  private Map<String, Integer> copiesOnTarget(Path root) throws Exception {
    Map<String, Integer> copies = new TreeMap<>();
    Session session = Session.getInstance(new Properties());
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        String box = f.getParent().getFileName().toString();
        if (!f.getParent().getParent().getFileName().toString().equals(FOLDER)
            || box.equals("tmp")) {
          continue;
        }
        try (InputStream in = Files.newInputStream(f)) {
          String mailbox = root.relativize(f).getName(0).toString();
          copies.merge(
              mailbox + " " + new MimeMessage(session, in).getMessageID(), 1, Integer::sum);
        }
      }
    }
    return copies;
  }

  private Map<String, Integer> ledgerRows() throws Exception {
    Map<String, Integer> rows = new HashMap<>();
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/lp-archiver.db"));
        ResultSet rs =
            db.createStatement().executeQuery("SELECT mailbox, message_id FROM deliveries")) {
      while (rs.next()) {
        rows.merge(rs.getString(1) + " " + rs.getString(2), 1, Integer::sum);
      }
    }
    return rows;
  }

  /** Rows of {@code table} in the state database (0 before the first run created it). */
  private long count(String table) throws Exception {
    if (!Files.exists(dir.resolve("state/lp-archiver.db"))) {
      return 0;
    }
    try {
      return Long.parseLong(query("SELECT count(*) FROM " + table));
    } catch (java.sql.SQLException e) {
      return 0; // the first run is still creating its tables
    }
  }

  /** Waits until {@code sync} has added a row to {@code table}, or has ended. */
  private void awaitCount(Process sync, String table, long before) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (sync.isAlive() && count(table) == before) {
      assertThat(System.nanoTime()).as("sync wrote to %s: %s", table, log()).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private String integrityCheck() throws Exception {
    return query("PRAGMA integrity_check");
  }

  private String query(String sql) throws Exception {
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/lp-archiver.db"));
        ResultSet rs = db.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long distinctConversations(Map<String, Integer> copies) {
    return copies.keySet().stream()
        .map(k -> k.substring(k.indexOf("<lp.")).replaceAll("\\.v[0-9]+@.*", ""))
        .distinct()
        .count();
  }
}
