package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reconcile} against the simulator and a Maildir: it finds a deleted archive item, a
 * conversation closed since the last sync and one changed since, and {@code --repair} restores
 * them; every reconcile is in the audit trail.
 */
class ReconcileCommandTest {

  private static final String FOLDER = ".INBOX.LivePerson Conversational Cloud DataParser";

  @TempDir Path dir;
  private LivePersonSimulator sim;
  private SeededDataSet data;
  private Path config;
  private Instant from;
  private Instant to;

  @BeforeEach
  void start() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    data = SeededDataSet.generate(new DataSetSpec(30, 5, 13, now, 10));
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
        DemoCommand.configYaml(sim, SimulatorCredentials.demo(), "./archive", "./state", "", from)
            .replace("channels: [messaging, chat]", "channels: [messaging]"));
    Result sync = run("sync", "--config", config.toString());
    assertThat(sync.exit).as(sync.err).isZero();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void anUntouchedArchiveHasNoDifferences() throws Exception {
    Result r = reconcile();
    assertThat(r.exit).as(r.err + r.out).isZero();
    assertThat(r.out)
        .contains("LivePerson (to archive):  " + (data.closedConversationIds().size() + oldOpen()))
        .contains("No differences.");
    assertThat(auditedReconciles()).hasSize(1);
  }

  @Test
  void findsDeletedChangedAndNewlyClosedConversationsAndRepairRestoresThem() throws Exception {
    Path deleted = maildirFiles().get(0);
    String deletedId = conversationId(deleted);
    Files.delete(deleted);
    String changed =
        data.closedConversationIds().stream().filter(id -> !id.equals(deletedId)).findFirst().get();
    data.touch(
        changed,
        r -> r.withObject("info").put("latestAgentFullName", "Edited After Close"),
        Instant.now());
    String closed = data.openConversationIds().get(0);
    // open for over 24 h at the first sync: it has an interim v1, which its close makes stale
    boolean interim = start(closed).isBefore(Instant.now().minus(Duration.ofHours(24)));
    assertThat(maildirFiles().stream().map(ReconcileCommandTest::conversationIdUnchecked))
        .as("interim version of %s", closed)
        .matches(ids -> ids.contains(closed) == interim);
    data.closeConversation(closed, Instant.now());

    Result found = reconcile();
    assertThat(found.exit).isEqualTo(3);
    assertThat(found.out)
        .contains("missing-on-target messaging:" + deletedId + " v1")
        .contains("stale messaging:" + changed + " v1")
        .contains(
            interim ? "stale messaging:" + closed + " v1" : "missing messaging:" + closed + "\n");

    Result repaired = reconcile("--repair");
    assertThat(repaired.exit).as(repaired.out + repaired.err).isZero();
    assertThat(repaired.out).contains("After repair").endsWith("No differences.\n");
    // not a terminal: the repair's sync reports each window as a plain line, no progress bar
    assertThat(repaired.out)
        .containsPattern("messaging \\S+ \\.\\. \\S+: \\d+ conversations so far");
    assertThat(maildirFiles().stream().map(ReconcileCommandTest::conversationIdUnchecked))
        .contains(deletedId, closed);
    assertThat(reconcile().exit).isZero();
    assertThat(auditedReconciles()).hasSize(3);
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
    Path db;
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      db = files.filter(p -> p.toString().endsWith(".db")).findFirst().orElseThrow();
    }
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
