package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigLoader;
import io.lparchiver.model.Channel;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.pipeline.SyncListener;
import io.lparchiver.pipeline.SyncReport;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reconcile} against the simulator (messaging and chat) and a Maildir, every conversation
 * mapped to its agents' mailboxes plus a journal copy: it names, per day, a copy deleted from one
 * mailbox, a copy the ledger never recorded (only the mapper knows it is due), an altered copy, a
 * conversation closed since the last sync and one changed since; {@code --repair} re-reads by id
 * and restores exactly what is missing. Every reconcile is in the audit trail.
 */
class ReconcileCommandTest {

  private static final String FOLDER = ".INBOX.LivePerson Conversational Cloud DataParser";
  private static final String JOURNAL = "journal@brand.example";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private LivePersonSimulator sim;
  private SeededDataSet data;
  private Path config;
  private Instant from;
  private Instant to;

  @BeforeEach
  void start() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    data = SeededDataSet.generate(new DataSetSpec(30, 5, 13, now, 10, 6));
    sim =
        LivePersonSimulator.builder()
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .build()
            .start();
    from = now.minus(11, ChronoUnit.DAYS);
    to = now.plus(1, ChronoUnit.MINUTES);
    config = dir.resolve("lp-archiver.yaml");
    Files.writeString(
        config,
        TestConfigs.demo(sim, from)
            // a journal copy of every conversation: each has at least two mailboxes
            .replace(
                "  fallbackMailbox:", "  alwaysCopyTo: [" + JOURNAL + "]\n  fallbackMailbox:"));
    Result sync = run("sync", "--config", config.toString());
    assertThat(sync.exit).as(sync.err).isZero();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void anUntouchedArchiveHasNoDifferencesAndJsonGivesTheSameTablePerDay() throws Exception {
    int conversations =
        data.closedConversationIds().size() + (int) oldOpen() + data.chatIds().size();
    int copies = maildirFiles().size();
    Result r = reconcile();
    assertThat(r.exit).as(r.err + r.out).isZero();
    assertThat(r.out).contains("No differences.").containsPattern("total +" + conversations + " ");

    Result json = reconcile("--json");
    assertThat(json.exit).isZero();
    JsonNode result = JSON.readTree(json.out).get("result");
    assertThat(result.at("/totals/livePerson").asInt()).isEqualTo(conversations);
    assertThat(result.at("/totals/expectedCopies").asInt()).isEqualTo(copies);
    assertThat(result.at("/totals/ledgerCopies").asInt()).isEqualTo(copies);
    assertThat(result.at("/totals/targetCopies").asInt()).isEqualTo(copies);
    assertThat(result.get("days")).hasSizeGreaterThan(5); // ten days of data
    int perDay = 0;
    for (JsonNode day : result.get("days")) {
      perDay += day.get("livePerson").asInt();
      assertThat(day.get("differences")).isEmpty();
    }
    assertThat(perDay).isEqualTo(conversations);
    assertThat(json.err).contains("No differences."); // the people's report, off stdout
    assertThat(auditedReconciles()).hasSize(2);
  }

  @Test
  void aCopyMissingFromOneOfAConversationsMailboxesIsNamedWithItsDayAndRepairRestoresOnlyIt()
      throws Exception {
    Map<String, List<Path>> byConversation = copiesByConversation();
    Map.Entry<String, List<Path>> multi =
        byConversation.entrySet().stream()
            .filter(e -> e.getValue().size() >= 3)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no conversation in three mailboxes"));
    String id = multi.getKey();
    Path deleted = multi.getValue().get(1);
    String mailbox = mailboxOf(deleted);
    // a second conversation whose ledger never recorded its copy in one mailbox: only the mapper
    // says it belongs there
    Map.Entry<String, List<Path>> other =
        byConversation.entrySet().stream()
            .filter(e -> !e.getKey().equals(id) && e.getValue().size() >= 2)
            .findFirst()
            .orElseThrow();
    Path neverRecorded = other.getValue().get(0);
    String otherMailbox = mailboxOf(neverRecorded);
    Files.delete(deleted);
    Files.delete(neverRecorded);
    sql(
        "DELETE FROM deliveries WHERE conversation_id = '"
            + other.getKey()
            + "' AND mailbox = '"
            + otherMailbox
            + "'");
    Map<Path, String> untouched = snapshot();

    Result found = reconcile("--json");
    assertThat(found.exit).isEqualTo(3);
    JsonNode days = JSON.readTree(found.out).at("/found/days");
    assertThat(differences(days))
        .containsExactlyInAnyOrder(
            day(id) + " missing-on-target " + channel(id) + ":" + id + " v1 " + mailbox,
            day(other.getKey())
                + " not-delivered "
                + channel(other.getKey())
                + ":"
                + other.getKey()
                + " v1 "
                + otherMailbox);
    assertThat(found.err)
        .contains(day(id) + " missing-on-target " + channel(id) + ":" + id + " v1 -> " + mailbox);

    Result repaired = reconcile("--repair");
    assertThat(repaired.exit).as(repaired.out + repaired.err).isZero();
    assertThat(repaired.out)
        .contains("re-read 2 conversations by id")
        .contains("delivered 2 copies")
        .contains("delivered a copy into " + mailbox)
        .endsWith("No differences.\n");
    Map<Path, String> after = snapshot();
    assertThat(after).containsAllEntriesOf(untouched).hasSize(untouched.size() + 2);
    Map<Path, String> restored = new HashMap<>(after);
    restored.keySet().removeAll(untouched.keySet());
    assertThat(restored.keySet().stream().map(ReconcileCommandTest::mailboxOf))
        .containsExactlyInAnyOrder(mailbox, otherMailbox);
    assertThat(restored.keySet().stream().map(ReconcileCommandTest::conversationIdUnchecked))
        .containsExactlyInAnyOrder(id, other.getKey());
    assertThat(reconcile().exit).isZero();
  }

  @Test
  void anAlteredCopyIsReportedAndNeverOverwritten() throws Exception {
    Path copy = maildirFiles().get(3);
    String id = conversationId(copy);
    Files.writeString(copy, "\nedited by hand\n", StandardOpenOption.APPEND);
    byte[] altered = Files.readAllBytes(copy);

    Result repaired = reconcile("--repair");

    assertThat(repaired.exit).isEqualTo(3);
    assertThat(repaired.out)
        .contains("altered " + channel(id) + ":" + id + " v1 -> " + mailboxOf(copy))
        .doesNotContain("Repair:");
    assertThat(Files.readAllBytes(copy)).isEqualTo(altered);
    assertThat(maildirFiles()).hasSize(snapshotSize());
  }

  @Test
  void aChatCopyDeletedFromTheTargetIsRepairedByEngagementId() throws Exception {
    Path chatCopy =
        maildirFiles().stream()
            .filter(p -> data.chatIds().contains(conversationIdUnchecked(p)))
            .findFirst()
            .orElseThrow();
    String id = conversationId(chatCopy);
    Files.delete(chatCopy);
    Map<Path, String> untouched = snapshot();

    Result found = reconcile();
    assertThat(found.out)
        .contains(day(id) + " missing-on-target chat:" + id + " v1 -> " + mailboxOf(chatCopy));
    Result repaired = reconcile("--repair");

    assertThat(repaired.exit).as(repaired.out + repaired.err).isZero();
    assertThat(snapshot()).containsAllEntriesOf(untouched).hasSize(untouched.size() + 1);
    assertThat(
            sim.requestLog().stream()
                .filter(r -> r.path().endsWith("/interactions/search"))
                .filter(r -> r.status() == 200))
        .isNotEmpty();
  }

  @Test
  void aDeadLetteredChatIsRetriedByEngagementId() throws Exception {
    String id = data.chatIds().get(2);
    List<Path> copies = copiesByConversation().get(id);
    assertThat(copies).isNotEmpty();
    for (Path p : copies) {
      Files.delete(p);
    }
    // as if the chat had never been delivered: no ledger rows, a dead letter instead
    sql("DELETE FROM deliveries WHERE conversation_id = '" + id + "'");
    ArchiverConfig cfg = ConfigLoader.fromSystem().load(config);
    try (StateStore state = StateStore.open(cfg.state().dir(), Clock.systemUTC())) {
      state.deadLetter(
          DeadLetter.of(
              sim.account(),
              Channel.CHAT,
              id,
              1,
              "",
              DeadLetterStage.DELIVER,
              "target refused it",
              Instant.now()));
    }
    try (Archiver archiver = Archiver.open(cfg, Clock.systemUTC(), true)) {
      List<DeadLetter> open;
      try (StateStore state = StateStore.openReadOnly(cfg.state().dir(), Clock.systemUTC())) {
        open = state.openDeadLetters();
      }
      assertThat(open).extracting(DeadLetter::conversationId).containsExactly(id);
      SyncReport report = archiver.syncJob().retry(open, SyncListener.none());
      assertThat(report.deliveries()).isEqualTo(copies.size());
    }
    try (StateStore state = StateStore.openReadOnly(cfg.state().dir(), Clock.systemUTC())) {
      assertThat(state.openDeadLetters()).isEmpty();
    }
    assertThat(copiesByConversation().get(id)).hasSameSizeAs(copies);
    assertThat(reconcile().exit).isZero();
  }

  /** Open conversations a sync archives as interim versions (open for over 24 h). */
  private long oldOpen() {
    Instant dayAgo = Instant.now().minus(Duration.ofHours(24));
    return data.openConversationIds().stream().filter(id -> start(id).isBefore(dayAgo)).count();
  }

  private Instant start(String id) {
    return Instant.ofEpochMilli(
        data.conversation(id).orElseThrow().path("info").path("startTimeL").asLong());
  }

  private Result reconcile(String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "reconcile",
                "--config",
                config.toString(),
                "--from",
                from.toString(),
                "--to",
                to.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private List<String> auditedReconciles() throws Exception {
    Path db = stateDb();
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT detail FROM audit WHERE event = 'reconcile'")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  private Map<String, List<Path>> copiesByConversation() throws Exception {
    Map<String, List<Path>> out = new TreeMap<>();
    for (Path p : maildirFiles()) {
      out.computeIfAbsent(conversationId(p), k -> new ArrayList<>()).add(p);
    }
    return out;
  }

  /** Every archived copy and the SHA-256 of its bytes. */
  private Map<Path, String> snapshot() throws Exception {
    Map<Path, String> out = new HashMap<>();
    for (Path p : maildirFiles()) {
      out.put(
          p,
          HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
    }
    return out;
  }

  private int snapshotSize() throws Exception {
    return snapshot().size();
  }

  private String day(String conversationId) {
    JsonNode record =
        data.conversation(conversationId)
            .or(
                () ->
                    data.chats().stream()
                        .filter(c -> c.at("/info/engagementId").asText().equals(conversationId))
                        .findFirst())
            .orElseThrow();
    return LocalDate.ofInstant(
            Instant.ofEpochMilli(record.path("info").path("startTimeL").asLong()), ZoneOffset.UTC)
        .toString();
  }

  private String channel(String conversationId) {
    return data.chatIds().contains(conversationId) ? "chat" : "messaging";
  }

  private static List<String> differences(JsonNode days) {
    List<String> out = new ArrayList<>();
    for (JsonNode day : days) {
      for (JsonNode d : day.get("differences")) {
        out.add(
            day.get("day").asText()
                + " "
                + d.get("kind").asText()
                + " "
                + d.get("channel").asText()
                + ":"
                + d.get("conversationId").asText()
                + " v"
                + d.get("version").asInt()
                + " "
                + d.get("mailbox").asText());
      }
    }
    return out;
  }

  private static String mailboxOf(Path copy) {
    return copy.getParent().getParent().getParent().getFileName().toString();
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDb());
        Statement st = c.createStatement()) {
      assertThat(st.executeUpdate(statement)).isPositive();
    }
  }

  private Path stateDb() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      return files.filter(p -> p.toString().endsWith(".db")).findFirst().orElseThrow();
    }
  }

  private List<Path> maildirFiles() throws Exception {
    try (Stream<Path> walk = Files.walk(dir.resolve("archive"))) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getParent().getParent().getFileName().toString().equals(FOLDER))
          .filter(p -> !p.getParent().getFileName().toString().equals("tmp"))
          .sorted()
          .toList();
    }
  }

  private static String conversationId(Path email) throws Exception {
    for (String line : Files.readAllLines(email, StandardCharsets.ISO_8859_1)) {
      if (line.startsWith("X-LivePerson-Conversation-Id: ")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    throw new AssertionError("no conversation id in " + email);
  }

  private static String conversationIdUnchecked(Path email) {
    try {
      return conversationId(email);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(exit, out.toString(), err.toString());
  }
}
