package io.lparchiver.app;

import static io.lparchiver.app.FaultRuns.assertArchivedExactlyOnce;
import static io.lparchiver.app.FaultRuns.conversations;
import static io.lparchiver.app.FaultRuns.copiesOnTarget;
import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.SeededDataSet;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory is read-only when a run starts (a read-only remount of its own tmpfs: root
 * ignores file modes). The run must stop before it delivers anything, naming the directory and what
 * to do; once it is writable again the next run finishes the work exactly once.
 *
 * <p>Turning read-only mid-run cannot be staged this way: Linux refuses to remount a filesystem
 * read-only while a file on it is open for writing (EBUSY), and a run holds its lock file and the
 * SQLite database open from start to finish.
 */
class ReadOnlyStateTest {

  @TempDir Path dir;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  private final SeededDataSet data = SeededDataSet.generate(new DataSetSpec(80, 5, 43, now, 30));
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
  void anEmptyReadOnlyStateDirStopsTheRunBeforeAnyDelivery() throws Exception {
    try (FaultRuns.Tmpfs disk = FaultRuns.Tmpfs.mount(setup.state(), "4m")) {
      assertThat(disk.remount(true)).isEmpty();

      FaultRuns.Result refused = FaultRuns.sync(setup.config());

      assertRefusedClearly(refused);
      assertThat(copiesOnTarget(setup.archive()))
          .as("nothing delivered without a ledger")
          .isEmpty();

      assertThat(disk.remount(false)).isEmpty();
      FaultRuns.Result resumed = FaultRuns.sync(setup.config());
      assertThat(resumed.exit()).as(resumed.both()).isZero();
      assertArchivedExactlyOnce(
          setup.archive(), setup.state(), data.closedConversationIds().size());
    }
  }

  @Test
  void anExistingStateTurnedReadOnlyStopsTheNextRunAndNothingIsLost() throws Exception {
    try (FaultRuns.Tmpfs disk = FaultRuns.Tmpfs.mount(setup.state(), "4m")) {
      // archive the older half first, so the refused run has work left to do
      Instant from = now.minus(31, ChronoUnit.DAYS);
      FaultRuns.Result half =
          FaultRuns.sync(
              setup.config(),
              "--from",
              from.toString(),
              "--to",
              now.minus(15, ChronoUnit.DAYS).toString());
      assertThat(half.exit()).as(half.both()).isZero();
      Map<String, ?> before = copiesOnTarget(setup.archive());
      assertThat(conversations(before)).isBetween(1L, data.closedConversationIds().size() - 1L);
      assertThat(disk.remount(true)).isEmpty();

      FaultRuns.Result refused = FaultRuns.sync(setup.config());

      assertRefusedClearly(refused);
      assertThat(copiesOnTarget(setup.archive()).keySet())
          .as("nothing delivered while the ledger cannot record it")
          .isEqualTo(before.keySet());

      assertThat(disk.remount(false)).isEmpty();
      // SQLite cannot open a WAL database on a read-only file system, so check it once writable
      assertThat(FaultRuns.query(setup.state(), "PRAGMA integrity_check")).isEqualTo("ok");
      FaultRuns.Result resumed = FaultRuns.sync(setup.config());
      assertThat(resumed.exit()).as(resumed.both()).isZero();
      assertArchivedExactlyOnce(
          setup.archive(), setup.state(), data.closedConversationIds().size());
    }
  }

  private void assertRefusedClearly(FaultRuns.Result refused) {
    assertThat(refused.exit()).as(refused.both()).isNotZero();
    assertThat(refused.err())
        .as(refused.both())
        .contains(setup.state().toString())
        .containsIgnoringCase("read-only")
        .contains("writable");
  }
}
