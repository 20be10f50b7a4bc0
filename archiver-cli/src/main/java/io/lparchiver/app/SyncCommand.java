package io.lparchiver.app;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.model.Window;
import io.lparchiver.pipeline.SyncJob;
import io.lparchiver.pipeline.SyncReport;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sync}: one archiving pass over the configured LivePerson account. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "Archives every closed conversation not archived yet, then exits.",
      "Exit codes: 0 all archived, 3 some dead-lettered, 2 bad config or usage, 1 internal error."
    })
final class SyncCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ConfigFile config;

  @Option(
      names = "--from",
      description =
          "Backfill: start of the range (ISO-8601, e.g. 2025-01-01T00:00:00Z). Re-reads the range; checkpoints are not moved.")
  Instant from;

  @Option(
      names = "--to",
      description = "Backfill: end of the range (ISO-8601, exclusive). Default: now.")
  Instant to;

  @Option(
      names = "--dry-run",
      description = "Print who would get what; write nothing (no mail, no state).")
  boolean dryRun;

  @Option(
      names = "--json",
      description = "Print a one-line JSON summary as the last line of standard output.")
  boolean json;

  @Option(
      names = "--no-progress",
      description =
          "Plain progress lines instead of the progress bar (the bar shows only on a terminal).")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    ArchiverConfig cfg = config.load();
    Optional<Window> range = range(clock);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter human = json ? spec.commandLine().getErr() : out;
    try (Archiver archiver = Archiver.open(cfg, clock, !dryRun)) {
      SyncReport report;
      if (dryRun) {
        report =
            archiver
                .dryRunJob()
                .run(
                    range.orElseGet(
                        () ->
                            new Window(cfg.source().liveperson().backfillFrom(), clock.instant())),
                    Reports.progress(human));
      } else if (TerminalProgress.wanted(noProgress, json)) {
        try (TerminalProgress bar = TerminalProgress.onTerminal("sync")) {
          report =
              archiver
                  .syncJob()
                  .run(new SyncJob.Options(range, false), SyncJob.Progress.none(), bar);
        }
      } else {
        report = archiver.syncJob().run(new SyncJob.Options(range, false), Reports.progress(human));
      }
      Reports.printSummary(human, report, dryRun, archiver.describeTarget());
      if (json) {
        out.println(Reports.json(report, dryRun));
      }
      out.flush();
      return report.exitCode();
    }
  }

  private Optional<Window> range(Clock clock) {
    if (from == null && to == null) {
      return Optional.empty();
    }
    if (from == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--to needs --from: give the start of the range to backfill");
    }
    Instant end = to == null ? clock.instant() : to;
    if (!from.isBefore(end)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--from must be before --to (" + from + " .. " + end + ")");
    }
    return Optional.of(new Window(from, end));
  }
}
