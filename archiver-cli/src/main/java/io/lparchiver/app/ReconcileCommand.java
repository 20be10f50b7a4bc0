package io.lparchiver.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.Window;
import io.lparchiver.pipeline.ReconcileJob;
import io.lparchiver.pipeline.SyncListener;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code reconcile}: LivePerson vs the ledger vs the target for a range, optionally repaired. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Compares, per day, what LivePerson holds (conversations a sync archives that started in"
          + " the range) and their copies after fan-out to the mapped mailboxes, what the ledger"
          + " says was delivered and what the target holds (by Message-ID), prints the differences"
          + " with conversation ids and mailboxes and writes the result to the audit trail.",
      "--repair then re-reads each conversation with a difference by id and delivers exactly the"
          + " copies that are missing; an altered copy is reported, never overwritten.",
      "Exit codes: 0 no differences (after repair), 3 differences remain, 2 bad config or usage,"
          + " 1 internal error."
    })
final class ReconcileCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ConfigFile config;

  @Option(
      names = "--from",
      required = true,
      description = "Start of the range of conversation start times (ISO-8601).")
  Instant from;

  @Option(names = "--to", description = "End of the range (ISO-8601, exclusive). Default: now.")
  Instant to;

  @Option(
      names = "--repair",
      description = "Re-read by id and deliver the missing copies and versions.")
  boolean repair;

  @Option(
      names = "--no-progress",
      description =
          "Plain lines instead of the progress bar of the repair (the bar shows only on a"
              + " terminal).")
  boolean noProgress;

  @Option(
      names = "--json",
      description =
          "Print the per-day table and the differences as one JSON document on standard output"
              + " (the human report goes to standard error).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    Instant end = to == null ? clock.instant() : to;
    if (!from.isBefore(end)) {
      throw new ParameterException(
          spec.commandLine(), "--from must be before --to (" + from + " .. " + end + ")");
    }
    Window range = new Window(from, end);
    ArchiverConfig cfg = config.load();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter human = json ? spec.commandLine().getErr() : out;
    try (Archiver archiver = Archiver.open(cfg, clock, true)) {
      ReconcileJob job = archiver.reconcileJob();
      human.println(
          "Reading what LivePerson holds for " + range.from() + " .. " + range.to() + " ...");
      human.flush();
      ReconcileJob.Report found = job.compare(range);
      ReconcileJob.Report report = found;
      print(human, "LivePerson vs ledger vs target", found);
      Optional<ReconcileJob.Repair> repaired = Optional.empty();
      if (repair && found.differences().stream().anyMatch(d -> d.kind().repairable())) {
        ReconcileJob.Repair r;
        if (TerminalProgress.wanted(noProgress, json)) {
          try (TerminalProgress bar = TerminalProgress.onTerminal("repair")) {
            r = job.repair(found, archiver.syncJob(), bar);
          }
        } else {
          r = job.repair(found, archiver.syncJob(), restoredLines(human));
        }
        repaired = Optional.of(r);
        human.println(
            "Repair: re-read "
                + r.conversations()
                + " conversations by id ("
                + r.forgotten()
                + " ledger rows of copies missing on the target forgotten); delivered "
                + r.sync().deliveries()
                + " copies, "
                + r.sync().deadLetters()
                + " dead letters.");
        report = job.compare(range);
        print(human, "After repair", report);
      }
      job.audit(report, repaired);
      human.flush();
      if (json) {
        out.println(json(found, repaired, report));
        out.flush();
      }
      return report.differences().isEmpty() ? Main.OK : Main.DEAD_LETTERS;
    }
  }

  /** Each copy the repair writes, as a plain line. */
  private static SyncListener restoredLines(PrintWriter out) {
    return new SyncListener() {
      @Override
      public void delivered(Mailbox mailbox, long bytes) {
        out.println("  delivered a copy into " + mailbox.address());
        out.flush();
      }

      @Override
      public void deadLettered(String line) {
        out.println("  dead-lettered: " + line);
        out.flush();
      }
    };
  }

  private static void print(PrintWriter out, String title, ReconcileJob.Report r) {
    out.println(title + " for " + r.range().from() + " .. " + r.range().to() + ":");
    out.printf(
        "  %-10s %10s %10s %10s %10s %11s%n",
        "day", "LivePerson", "expected", "ledger", "target", "differences");
    for (ReconcileJob.Day d : r.days()) {
      out.printf(
          "  %-10s %10d %10d %10d %10d %11d%n",
          d.day(),
          d.livePerson(),
          d.expectedCopies(),
          d.ledgerCopies(),
          d.targetCopies(),
          r.differences(d.day()).size());
    }
    out.printf(
        "  %-10s %10d %10d %10d %10d %11d%n",
        "total",
        r.livePerson(),
        r.expectedCopies(),
        r.ledgerCopies(),
        r.targetCopies(),
        r.differences().size());
    out.println("  (LivePerson: conversations to archive; expected: their copies after fan-out;");
    out.println("   ledger: copies the ledger says were delivered; target: copies found there)");
    for (ReconcileJob.Kind k : ReconcileJob.Kind.values()) {
      out.println("  " + pad(k.label() + ":") + r.count(k));
    }
    for (ReconcileJob.Difference d : r.differences()) {
      out.println("  " + d.day() + " " + d.describe());
    }
    out.println(r.differences().isEmpty() ? "  No differences." : "");
  }

  /** The per-day table for machines: the first comparison, the repair, and the final one. */
  static String json(
      ReconcileJob.Report found, Optional<ReconcileJob.Repair> repair, ReconcileJob.Report result) {
    ObjectNode root = JSON.createObjectNode();
    root.put("from", result.range().from().toString());
    root.put("to", result.range().to().toString());
    root.set("found", json(found));
    repair.ifPresent(
        r -> {
          ObjectNode node = root.putObject("repair");
          node.put("conversations", r.conversations());
          node.put("forgottenLedgerRows", r.forgotten());
          node.put("deliveries", r.sync().deliveries());
          node.put("deadLetters", r.sync().deadLetters());
        });
    root.set("result", json(result));
    root.put("exitCode", result.differences().isEmpty() ? Main.OK : Main.DEAD_LETTERS);
    return root.toString();
  }

  private static ObjectNode json(ReconcileJob.Report r) {
    ObjectNode node = JSON.createObjectNode();
    ArrayNode days = node.putArray("days");
    for (ReconcileJob.Day d : r.days()) {
      ObjectNode day = days.addObject();
      day.put("day", d.day().toString());
      day.put("livePerson", d.livePerson());
      day.put("expectedCopies", d.expectedCopies());
      day.put("ledgerCopies", d.ledgerCopies());
      day.put("targetCopies", d.targetCopies());
      ArrayNode diffs = day.putArray("differences");
      for (ReconcileJob.Difference diff : r.differences(d.day())) {
        ObjectNode one = diffs.addObject();
        one.put("kind", diff.kind().label());
        one.put("channel", diff.channel().label());
        one.put("conversationId", diff.conversationId());
        one.put("version", diff.version());
        one.put("mailbox", diff.mailbox());
      }
    }
    ObjectNode totals = node.putObject("totals");
    totals.put("livePerson", r.livePerson());
    totals.put("expectedCopies", r.expectedCopies());
    totals.put("ledgerCopies", r.ledgerCopies());
    totals.put("targetCopies", r.targetCopies());
    for (ReconcileJob.Kind k : ReconcileJob.Kind.values()) {
      totals.put(k.label(), r.count(k));
    }
    return node;
  }

  private static String pad(String s) {
    return s + " ".repeat(Math.max(1, 26 - s.length()));
  }
}
