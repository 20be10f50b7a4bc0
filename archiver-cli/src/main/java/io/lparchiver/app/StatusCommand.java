package io.lparchiver.app;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.state.LedgerCounts;
import io.lparchiver.state.StateStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code status}: the ledger's counts and the last run. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Prints the ledger's counts, the last run and open dead letters.")
final class StatusCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ConfigFile config;

  @Override
  public Integer call() {
    ArchiverConfig cfg = config.load();
    PrintWriter out = spec.commandLine().getOut();
    Path dir = cfg.state().dir();
    if (!Files.isDirectory(dir)) {
      out.println("No state yet in " + dir + ": run `sync --config " + config + "` first.");
      out.flush();
      return Main.OK;
    }
    try (StateStore state = StateStore.openReadOnly(dir, Clock.systemUTC())) {
      LedgerCounts c = state.counts();
      out.println("State: " + dir);
      out.printf("  %-22s %8d%n", "conversations", c.conversations());
      out.printf("  %-22s %8d%n", "versions", c.versions());
      out.printf("  %-22s %8d%n", "deliveries", c.deliveries());
      out.printf("  %-22s %8d%n", "mailboxes", c.mailboxes());
      out.printf("  %-22s %8d%n", "open dead letters", c.openDeadLetters());
      out.println();
      state
          .lastRun()
          .ifPresentOrElse(
              run -> {
                out.printf(
                    "Last run #%d (%s): started %s, %s%n",
                    run.id(),
                    run.command(),
                    run.started(),
                    run.finished()
                        .map(f -> "finished " + f)
                        .orElse("not finished (stopped or still running)"));
                run.summary()
                    .ifPresent(
                        s ->
                            out.printf(
                                "  conversations %d, emails %d, deliveries %d, duplicates %d, dead letters %d, mailboxes %d, exit code %d%n",
                                s.conversations(),
                                s.emails(),
                                s.deliveries(),
                                s.duplicates(),
                                s.deadLetters(),
                                s.mailboxes(),
                                s.exitCode()));
              },
              () -> out.println("No run recorded yet."));
      if (!state.deliveriesPerMailbox().isEmpty()) {
        out.println();
        out.println("Deliveries per mailbox:");
        state.deliveriesPerMailbox().forEach((m, n) -> out.printf("  %-40s %6d%n", m, n));
      }
      if (c.openDeadLetters() > 0) {
        out.println();
        out.println("Open dead letters:");
        state
            .openDeadLetters()
            .forEach(
                d ->
                    out.printf(
                        "  %s %s:%s%s attempts=%d: %s%n",
                        d.stage().label(),
                        d.channel().label(),
                        d.conversationId(),
                        d.mailbox().isEmpty() ? "" : " -> " + d.mailbox(),
                        d.attempts(),
                        d.reason()));
      }
      out.flush();
      return Main.OK;
    }
  }
}
