package io.lparchiver.app;

import static io.lparchiver.app.FaultRuns.assertArchivedExactlyOnce;
import static io.lparchiver.app.FaultRuns.copiesOnTarget;
import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.FaultCounters;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LivePerson holds answers longer than {@code source.liveperson.retry.timeout}: once before any
 * header, once after the headers and half of the body. The client must give up on each at the
 * timeout, retry within its bounds and finish; when every retry stalls, the run must stop naming
 * the timeout, and the next run must finish the work exactly once.
 */
class LivePersonStallTest {

  /** Far past the client's timeout: a client that waits for it shows as a slow, failing test. */
  private static final Duration HOLD = Duration.ofSeconds(30);

  private static final String RETRY =
      "      maxAttempts: 3\n      initialBackoff: 10ms\n      timeout: 700ms\n";

  @TempDir Path dir;

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  // three pages of messaging search, so the stalls land after the first copies
  private final SeededDataSet data = SeededDataSet.generate(new DataSetSpec(250, 5, 31, now, 30));

  @Test
  void stalledAnswersAreAbandonedAtTheTimeoutAndRetried() throws Exception {
    try (LivePersonSimulator sim = simulator(Faults.builder().stalledResponses(2, HOLD).build())) {
      Path config = writeConfig(sim);

      FaultRuns.Result run = FaultRuns.sync(config);

      assertThat(run.exit()).as(run.both()).isZero();
      assertThat(sim.faultCounters())
          .as("one stall before the headers and one mid-body were injected")
          .isEqualTo(new FaultCounters(0, 0, 0, 0, 0, 2));
      assertArchivedExactlyOnce(
          dir.resolve("archive"), dir.resolve("state"), data.closedConversationIds().size());
    }
  }

  @Test
  void whenEveryRetryStallsTheRunStopsNamingTheTimeoutAndTheNextRunFinishesOnce() throws Exception {
    Path config;
    try (LivePersonSimulator stalling =
        simulator(Faults.builder().stalledResponses(1000, HOLD).spacing(1).build())) {
      config = writeConfig(stalling);

      FaultRuns.Result stopped = FaultRuns.sync(config);

      assertThat(stopped.exit()).as(stopped.both()).isEqualTo(1);
      assertThat(stopped.err())
          .contains("no complete answer within 700 ms (source.liveperson.retry.timeout)")
          .contains("after 3 attempts");
      assertThat(stalling.faultCounters().stalledResponses()).isEqualTo(3);
    }
    long beforeTheFaultWasGone = FaultRuns.conversations(copiesOnTarget(dir.resolve("archive")));
    assertThat(beforeTheFaultWasGone)
        .as("the first page was archived before the stalls began")
        .isBetween(1L, data.closedConversationIds().size() - 1L);

    try (LivePersonSimulator healthy = simulator(Faults.none())) {
      writeConfig(healthy);
      FaultRuns.Result resumed = FaultRuns.sync(config);
      assertThat(resumed.exit()).as(resumed.both()).isZero();
    }
    assertArchivedExactlyOnce(
        dir.resolve("archive"), dir.resolve("state"), data.closedConversationIds().size());
  }

  private LivePersonSimulator simulator(Faults faults) {
    return LivePersonSimulator.builder()
        .port(0)
        .credentials(SimulatorCredentials.demo())
        .dataSet(data)
        .faults(faults)
        .build()
        .start();
  }

  private Path writeConfig(LivePersonSimulator sim) throws Exception {
    Path config = dir.resolve("lp-archiver.yaml");
    Files.writeString(
        config,
        FaultRuns.config(
            sim,
            dir.resolve("archive"),
            dir.resolve("state"),
            now.minus(31, ChronoUnit.DAYS),
            RETRY));
    return config;
  }
}
