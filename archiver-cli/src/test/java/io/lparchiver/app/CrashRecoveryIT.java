package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 anywhere: runs {@code sync} from the real jar as its own process, kills it at seeded
 * random moments while LivePerson keeps changing conversations, restarts it, and then checks that
 * every conversation version is in each mailbox exactly once and that the ledger says the same.
 */
class CrashRecoveryIT {

  private static final int KILLS = 30;
  private static final int MAX_ROUNDS = 90;
  private static final String FOLDER = ".INBOX.LivePerson Conversational Cloud DataParser";

  @TempDir Path dir;

  @Test
  void killedAtRandomMomentsAndRestartedItArchivesEachVersionExactlyOnce() throws Exception {
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
      Path config = dir.resolve("lp-archiver.yaml");
      Files.writeString(
          config,
          DemoCommand.configYaml(
              sim,
              SimulatorCredentials.demo(),
              "./archive",
              "./state",
              "",
              now.minus(61, ChronoUnit.DAYS)));

      int kills = 0;
      for (int round = 0; kills < KILLS && round < MAX_ROUNDS; round++) {
        // LivePerson keeps changing: every round brings new versions to archive.
        if (round % 3 == 2) {
          editSummaries(data, random, 15);
        }
        Process sync = start(config);
        boolean finished = sync.waitFor(200 + random.nextInt(2300), TimeUnit.MILLISECONDS);
        if (!finished) {
          sync.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          kills++;
        } else {
          assertThat(sync.exitValue()).as("sync exit code (seed %d)", seed).isZero();
        }
      }
      assertThat(kills).as("kills (seed %d)", seed).isEqualTo(KILLS);

      Process last = start(config);
      assertThat(last.waitFor(120, TimeUnit.SECONDS)).as("final sync finishes").isTrue();
      assertThat(last.exitValue()).as("final sync (seed %d)", seed).isZero();

      Map<String, Integer> onTarget = copiesOnTarget();
      assertThat(onTarget.values())
          .as("copies per (mailbox, version) (seed %d)", seed)
          .containsOnly(1);
      Map<String, Integer> inLedger = ledgerRows();
      assertThat(inLedger.keySet())
          .as("ledger = target (seed %d)", seed)
          .isEqualTo(onTarget.keySet());
      assertThat(integrityCheck()).isEqualTo("ok");
      long closed = data.closedConversationIds().size();
      assertThat(distinctConversations(onTarget))
          .as("every closed conversation archived")
          .isEqualTo(closed);
    }
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

  private Process start(Path config) throws Exception {
    String jar = System.getProperty("lp.jar", "target/lp-archiver.jar");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar,
            "sync",
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("sync.log").toFile())
        .start();
  }

  /** (mailbox, Message-ID) → number of files carrying it. */
  private Map<String, Integer> copiesOnTarget() throws Exception {
    Map<String, Integer> copies = new TreeMap<>();
    Session session = Session.getInstance(new Properties());
    try (Stream<Path> walk = Files.walk(dir.resolve("archive"))) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        String box = f.getParent().getFileName().toString();
        if (!f.getParent().getParent().getFileName().toString().equals(FOLDER)
            || box.equals("tmp")) {
          continue;
        }
        try (InputStream in = Files.newInputStream(f)) {
          String mailbox = dir.resolve("archive").relativize(f).getName(0).toString();
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

  private String integrityCheck() throws Exception {
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/lp-archiver.db"));
        ResultSet rs = db.createStatement().executeQuery("PRAGMA integrity_check")) {
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
