package io.lparchiver.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.state.LogEntry;
import io.lparchiver.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code log}: the downloadable log of imported items, from the ledger. */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = "The log of imported items.",
    subcommands = {LogCommand.Export.class})
final class LogCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code log export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Writes one row per delivered copy and per dead letter (the status page's /log.csv),"
            + " kept as long as the state is kept.",
        "Columns: time, run_id, channel, conversation_id, version, mailbox, folder, outcome,"
            + " bytes, sha256, target_item_id, reason."
      })
  static final class Export implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin ConfigFile config;

    @Option(names = "--from", description = "Only rows at or after this instant (ISO-8601).")
    Instant from;

    @Option(names = "--to", description = "Only rows before this instant (ISO-8601).")
    Instant to;

    @Option(
        names = "--format",
        defaultValue = "csv",
        description = "csv or jsonl. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Mixin OutputFile output;

    enum Format {
      csv,
      jsonl
    }

    @Override
    public Integer call() throws IOException {
      ArchiverConfig cfg = config.load();
      if (!Files.isDirectory(cfg.state().dir())) {
        spec.commandLine()
            .getErr()
            .println("No state in " + cfg.state().dir() + ": nothing archived yet.");
        return Main.OK;
      }
      try (StateStore state = StateStore.openReadOnly(cfg.state().dir(), Clock.systemUTC())) {
        output.write(
            spec,
            out -> {
              Consumer<LogEntry> writer = writer(out, cfg.target().folder());
              return state.exportLog(
                  e -> {
                    if ((from == null || !e.at().isBefore(from))
                        && (to == null || e.at().isBefore(to))) {
                      writer.accept(e);
                    }
                  });
            },
            rows -> rows + " log entries in the ledger");
      }
      return Main.OK;
    }

    private Consumer<LogEntry> writer(Writer out, String folder) {
      if (format == Format.csv) {
        LogCsv csv = new LogCsv(out, folder);
        csv.header();
        return csv::row;
      }
      return e -> {
        ObjectNode row = JSON.createObjectNode();
        row.put("time", e.at().toString());
        e.runId().ifPresent(id -> row.put("runId", id));
        row.put("channel", e.channel().label()).put("conversationId", e.conversationId());
        row.put("version", e.version()).put("mailbox", e.mailbox());
        row.put("folder", e.mailbox().isEmpty() ? "" : folder).put("outcome", e.outcome().label());
        row.put("bytes", e.bytes()).put("sha256", e.emailSha256());
        row.put("targetItemId", e.targetItemId()).put("reason", e.reason());
        try {
          out.write(row.toString());
          out.write('\n');
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      };
    }
  }
}
