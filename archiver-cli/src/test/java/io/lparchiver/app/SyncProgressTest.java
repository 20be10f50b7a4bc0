package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigLoader;
import io.lparchiver.pipeline.SyncJob;
import io.lparchiver.pipeline.SyncReport;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress of {@code sync}: a bar driven by the sync's listener, plain lines off a TTY. */
class SyncProgressTest {

  @TempDir Path dir;
  private LivePersonSimulator sim;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(40, 3, 11, now, 60).withChats(10));
    sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .faults(Faults.none())
            .build()
            .start();
    config = dir.resolve("lp-archiver.yaml");
    Files.writeString(config, TestConfigs.demo(sim, now.minus(200, ChronoUnit.DAYS)));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void theBarFollowsTheSyncWindowByWindowWithItsCounts() throws Exception {
    List<String> frames = new CopyOnWriteArrayList<>();
    ArchiverConfig cfg = ConfigLoader.fromSystem().load(config);
    SyncReport report;
    TerminalProgress bar =
        new TerminalProgress(
            new ProgressBarBuilder()
                .setTaskName("sync")
                .setConsumer(new DelegatingProgressBarConsumer(frames::add, 200)));
    try (Archiver archiver = Archiver.open(cfg, Clock.systemUTC(), true)) {
      report =
          archiver
              .syncJob()
              .run(new SyncJob.Options(Optional.empty(), false), SyncJob.Progress.none(), bar);
    }
    // 200 days back in windows of at most 90 days (messaging) and 30 days (chat): several of each
    assertThat(bar.max()).isGreaterThan(4);
    assertThat(bar.current()).isEqualTo(bar.max());
    assertThat(bar.extraMessage())
        .isEqualTo(
            report.conversations()
                + " conversations, "
                + report.deliveries()
                + " copies, 0 duplicates, 0 dead letters");
    assertThat(report.conversations()).isPositive();
    bar.close();
    assertThat(frames)
        .last()
        .asString()
        .contains("100%")
        .contains(report.conversations() + " conv");
  }

  @Test
  void withoutATerminalSyncPrintsPlainLinesAndNoBar() {
    assertThat(System.console()).as("surefire runs without a console").isNull();
    assertThat(TerminalProgress.wanted(false, false)).isFalse();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "sync",
            "--config",
            config.toString());
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("messaging ")
        .contains("conversations so far")
        .doesNotContain("%")
        .doesNotContain("windows");
    assertThat(err.toString()).doesNotContain("%");
  }

  @Test
  void noProgressAndJsonNeverAskForABar() {
    assertThat(TerminalProgress.wanted(true, false)).isFalse();
    assertThat(TerminalProgress.wanted(false, true)).isFalse();
  }
}
