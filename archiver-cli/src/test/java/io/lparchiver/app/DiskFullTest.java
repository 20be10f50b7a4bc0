package io.lparchiver.app;

import static io.lparchiver.app.FaultRuns.assertArchivedExactlyOnce;
import static io.lparchiver.app.FaultRuns.conversations;
import static io.lparchiver.app.FaultRuns.copiesOnTarget;
import static io.lparchiver.app.FaultRuns.ledger;
import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.SeededDataSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk fills up mid-run, under the Maildir or under the state: each on its own small tmpfs,
 * filled so that the first copies fit and a later one does not. The run must stop saying the disk
 * is full, where, and what to do; nothing half-written may appear in {@code new/} or {@code cur/};
 * SQLite must stay intact; once space is freed, the next run must finish the work exactly once.
 */
class DiskFullTest {

  @TempDir Path dir;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  private final SeededDataSet data = SeededDataSet.generate(new DataSetSpec(120, 5, 41, now, 30));
  private FaultRuns.Setup setup;

  @BeforeEach
  void start() throws Exception {
    setup = FaultRuns.Setup.start(dir, data, now);
  }

  @AfterEach
  void stop() {
    setup.close();
  }

  @Test
  void aFullMaildirStopsTheRunClearlyAndTheNextRunFinishesOnce() throws Exception {
    try (FaultRuns.Tmpfs disk = FaultRuns.Tmpfs.mount(setup.archive(), "32m")) {
      Path filler = disk.fillLeaving(96 * 1024);

      FaultRuns.Result full = FaultRuns.sync(setup.config());

      assertThat(full.exit()).as(full.both()).isNotZero();
      assertThat(full.err())
          .as(full.both())
          .contains("disk full")
          .contains(setup.archive().toString())
          .contains("free space");
      Map<String, List<String>> written =
          copiesOnTarget(setup.archive()); // fails on a half-written file
      assertThat(conversations(written))
          .as("the disk filled up after the first copies")
          .isBetween(1L, data.closedConversationIds().size() - 1L);
      written.forEach((key, hashes) -> assertThat(hashes).as(key).hasSize(1));
      assertThat(ledger(setup.state()))
          .as("every copy written is in the ledger")
          .isEqualTo(firstHash(written));
      assertThat(tmpFiles(setup.archive())).as("no leftovers in tmp/").isEmpty();
      assertThat(FaultRuns.query(setup.state(), "PRAGMA integrity_check")).isEqualTo("ok");

      Files.delete(filler);
      FaultRuns.Result resumed = FaultRuns.sync(setup.config());

      assertThat(resumed.exit()).as(resumed.both()).isZero();
      assertArchivedExactlyOnce(
          setup.archive(), setup.state(), data.closedConversationIds().size());
    }
  }

  @Test
  void aFullStateDiskStopsTheRunClearlyAndTheNextRunFinishesOnce() throws Exception {
    try (FaultRuns.Tmpfs disk = FaultRuns.Tmpfs.mount(setup.state(), "32m")) {
      Path filler = disk.fillLeaving(1024 * 1024);

      FaultRuns.Result full = FaultRuns.sync(setup.config());

      assertThat(full.exit()).as(full.both()).isNotZero();
      assertThat(full.err())
          .as(full.both())
          .contains("disk full")
          .contains(setup.state().toString())
          .contains("free space");
      assertThat(conversations(copiesOnTarget(setup.archive())))
          .as("the state disk filled up after the first copies")
          .isBetween(1L, data.closedConversationIds().size() - 1L);
      Files.delete(filler);
      assertThat(FaultRuns.query(setup.state(), "PRAGMA integrity_check")).isEqualTo("ok");

      FaultRuns.Result resumed = FaultRuns.sync(setup.config());

      assertThat(resumed.exit()).as(resumed.both()).isZero();
      assertArchivedExactlyOnce(
          setup.archive(), setup.state(), data.closedConversationIds().size());
    }
  }

  private static Map<String, String> firstHash(Map<String, List<String>> copies) {
    Map<String, String> first = new TreeMap<>();
    copies.forEach((key, hashes) -> first.put(key, hashes.get(0)));
    return first;
  }

  private static List<Path> tmpFiles(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> f.getParent().getFileName().toString().equals("tmp"))
          .toList();
    }
  }
}
