package io.lparchiver.app;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigLoader;
import io.lparchiver.model.Window;
import io.lparchiver.pipeline.ReconcileJob;
import io.lparchiver.pipeline.SyncJob;
import io.lparchiver.pipeline.SyncReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code reconcile}: LivePerson vs the ledger vs the target for a range, optionally repaired. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Compares what LivePerson holds (closed conversations that started in the range), what the"
          + " ledger says was delivered and what the target holds (by Message-ID), prints the"
          + " differences with conversation ids and writes the result to the audit trail.",
      "--repair then archives what is missing or changed and re-delivers copies missing on the"
          + " target.",
      "Exit codes: 0 no differences (after repair), 3 differences remain, 2 bad config or usage,"
          + " 1 internal error."
    })
final class ReconcileCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", required = true, description = "Path of lp-archiver.yaml.")
  Path config;

  @Option(
      names = "--from",
      required = true,
      description = "Start of the range of conversation start times (ISO-8601).")
  Instant from;

  @Option(names = "--to", description = "End of the range (ISO-8601, exclusive). Default: now.")
  Instant to;

  @Option(names = "--repair", description = "Archive and re-deliver what is missing.")
  boolean repair;

  @Option(
      names = "--no-progress",
      description =
          "Plain progress lines instead of the progress bar of the repair (the bar shows only on a"
              + " terminal).")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    Instant end = to == null ? clock.instant() : to;
    if (!from.isBefore(end)) {
      throw new ParameterException(
          spec.commandLine(), "--from must be before --to (" + from + " .. " + end + ")");
    }
    Window range = new Window(from, end);
    ArchiverConfig cfg = ConfigLoader.fromSystem().load(config);
    PrintWriter out = spec.commandLine().getOut();
    try (Archiver archiver = Archiver.open(cfg, clock, true)) {
      ReconcileJob job = archiver.reconcileJob();
      out.println(
          "Reading what LivePerson holds for " + range.from() + " .. " + range.to() + " ...");
      out.flush();
      ReconcileJob.Report report = job.compare(range);
      print(out, "LivePerson vs ledger vs target", report);
      if (repair && !report.differences().isEmpty()) {
        int forgotten = job.forgetMissingCopies(report);
        SyncJob.Options options = new SyncJob.Options(Optional.of(range), false);
        SyncReport sync;
        if (TerminalProgress.wanted(noProgress, false)) {
          try (TerminalProgress bar = TerminalProgress.onTerminal("repair")) {
            sync = archiver.syncJob().run(options, SyncJob.Progress.none(), bar);
          }
        } else {
          sync = archiver.syncJob().run(options, Reports.progress(out));
        }
        out.println(
            "Repair: "
                + forgotten
                + " copies missing on the target to deliver again; sync delivered "
                + sync.deliveries()
                + " copies, "
                + sync.deadLetters()
                + " dead letters.");
        report = job.compare(range);
        print(out, "After repair", report);
      }
      job.audit(report, repair);
      out.flush();
      return report.differences().isEmpty() ? Main.OK : Main.DEAD_LETTERS;
    }
  }

  private static void print(PrintWriter out, String title, ReconcileJob.Report r) {
    out.println(title + " for " + r.range().from() + " .. " + r.range().to() + ":");
    out.println("  LivePerson (to archive):  " + r.livePerson());
    out.println("  in the ledger:            " + r.ledger());
    out.println("  copies checked on target: " + r.copiesChecked());
    for (ReconcileJob.Kind k : ReconcileJob.Kind.values()) {
      out.println("  " + pad(k.label() + ":") + r.count(k));
    }
    for (ReconcileJob.Difference d : r.differences()) {
      out.println(
          "  "
              + d.kind().label()
              + " "
              + d.channel().label()
              + ":"
              + d.conversationId()
              + (d.version() > 0 ? " v" + d.version() : "")
              + (d.mailbox().isEmpty() ? "" : " -> " + d.mailbox()));
    }
    out.println(r.differences().isEmpty() ? "  No differences." : "");
  }

  private static String pad(String s) {
    return s + " ".repeat(Math.max(1, 26 - s.length()));
  }
}
