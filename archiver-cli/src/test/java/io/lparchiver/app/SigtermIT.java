package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIGTERM: {@code run} from the real jar, started by its launcher script as its own process,
 * signalled with {@link Process#destroy()} (SIGTERM on Linux) while it delivers. It must stop
 * within the grace period after the current conversation, leave the ledger matching the Maildir and
 * the lock free, and a second {@code run} must finish the work without writing anything twice.
 */
class SigtermIT {

  private static final int SIGTERM_EXIT = 128 + 15;

  @TempDir Path dir;

  @Test
  void sigtermMidDeliveryStopsCleanlyAndTheNextRunCompletesWithoutDuplicates() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    // about 360 closed conversations: signalled after 50 copies, the run is still delivering with
    // room to spare, and what the second run finishes stays small
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(400, 5, 23, now, 60));
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
          TestConfigs.demo(sim, now.minus(61, ChronoUnit.DAYS))
              + "schedule:\n  interval: 1h\nserver:\n  bind: 127.0.0.1:0\n"
              // interim versions off (InterimVersionsTest covers them): the count of archived
              // conversations must not depend on an open one turning 24 h old meanwhile
              + "archive:\n  openSnapshotAfter: 0s\n");
      Path archive = dir.resolve("archive");

      Process run = start(config, "first.log");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      // counted, not parsed: reading every copy at each poll let a loaded machine's run get far
      // past 50 before the signal
      while (copyFiles(archive) < 50 && run.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(run.isAlive())
          .as("still delivering when signalled: %s", log("first.log"))
          .isTrue();
      long before = copyFiles(archive);
      run.destroy(); // SIGTERM
      assertThat(run.waitFor(RunCommand.GRACE.toSeconds() + 15, TimeUnit.SECONDS))
          .as("stops within the grace period: %s", log("first.log"))
          .isTrue();
      String firstLog = log("first.log");
      assertThat(run.exitValue()).as(firstLog).isEqualTo(SIGTERM_EXIT);
      assertThat(firstLog)
          .contains("Stopping: no new runs")
          .contains("Run stopped")
          .doesNotContain("interrupting it")
          .doesNotContain("Exception");

      Map<String, Integer> afterStop = copiesOnTarget(archive);
      assertThat((long) afterStop.size())
          .as("every copy before the signal")
          .isGreaterThanOrEqualTo(before);
      assertThat(afterStop.values()).containsOnly(1);
      assertThat(ledgerRows()).as("every copy has its ledger row").isEqualTo(afterStop.keySet());
      assertThat(query("PRAGMA integrity_check")).isEqualTo("ok");
      assertThat(query("SELECT count(*) FROM runs WHERE finished_at IS NULL"))
          .as("the stopped run is recorded as finished")
          .isEqualTo("0");
      assertThat(query("SELECT exit_code FROM runs ORDER BY id DESC LIMIT 1")).isEqualTo("130");
      try (FileChannel lock =
              FileChannel.open(
                  dir.resolve("state/lp-archiver.lock"),
                  StandardOpenOption.WRITE,
                  StandardOpenOption.CREATE);
          FileLock held = lock.tryLock()) {
        assertThat(held).as("the writer lock was released").isNotNull();
      }

      Process second = start(config, "second.log", "--max-runs", "1");
      assertThat(second.waitFor(180, TimeUnit.SECONDS)).as(log("second.log")).isTrue();
      assertThat(second.exitValue()).as(log("second.log")).isZero();
      Map<String, Integer> done = copiesOnTarget(archive);
      assertThat(done.values()).as("nothing written twice").containsOnly(1);
      assertThat(done.keySet()).containsAll(afterStop.keySet());
      assertThat(done.size())
          .as("stopped mid-run: the second run had copies left to write")
          .isGreaterThan(afterStop.size());
      assertThat(ledgerRows()).isEqualTo(done.keySet());
      assertThat(done.keySet().stream().map(k -> k.substring(k.indexOf(' '))).distinct().count())
          .as("every closed conversation archived")
          .isEqualTo(data.closedConversationIds().size());
      assertThat(query("PRAGMA integrity_check")).isEqualTo("ok");
    }
  }

  /** The message files in the archive folders, whole or not yet parsed: cheap enough to poll. */
  private static long copyFiles(Path root) throws Exception {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    long files = 0;
    try (Stream<Path> mailboxes = Files.list(root)) {
      for (Path mailbox : mailboxes.toList()) {
        for (String sub : List.of("new", "cur")) {
          Path dir = mailbox.resolve(FaultRuns.FOLDER).resolve(sub);
          if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
              files += list.count();
            }
          }
        }
      }
    }
    return files;
  }

  private Process start(Path config, String logName, String... extra) throws Exception {
    // through the launcher beside the jar, as a service runs it: the signal must reach the JVM
    Path launcher =
        Path.of(System.getProperty("lp.jar", "target/lp-archiver.jar"))
            .resolveSibling("lp-archiver");
    List<String> command = new ArrayList<>();
    command.addAll(List.of(launcher.toString(), "run", "--config", config.toString()));
    command.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(logName).toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("JAVA_OPTS");
    builder.environment().put("LP_ARCHIVER_LOG_LEVEL", "INFO");
    return builder.start();
  }

  private String log(String name) throws Exception {
    Path log = dir.resolve(name);
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** (mailbox, Message-ID) → number of files carrying it. */
  private static Map<String, Integer> copiesOnTarget(Path root) throws Exception {
    Map<String, Integer> copies = new TreeMap<>();
    FaultRuns.copiesOnTarget(root).forEach((key, files) -> copies.put(key, files.size()));
    return copies;
  }

  private java.util.Set<String> ledgerRows() throws Exception {
    java.util.Set<String> rows = new java.util.TreeSet<>();
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/lp-archiver.db"));
        ResultSet rs =
            db.createStatement().executeQuery("SELECT mailbox, message_id FROM deliveries")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    return rows;
  }

  private String query(String sql) throws Exception {
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/lp-archiver.db"));
        ResultSet rs = db.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
