package io.lparchiver.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigLoader;
import io.lparchiver.state.AuditEntry;
import io.lparchiver.state.AuditSignature;
import io.lparchiver.state.StateStore;
import io.lparchiver.state.StateStoreException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit}: the hash-chained audit trail, for auditors. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The tamper-evident audit trail.",
    subcommands = {AuditCommand.Export.class})
final class AuditCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code audit export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the audit chain as JSON lines, oldest first: one {\"type\":\"entry\"} line per"
            + " entry (seq, at, event, subject, detail, prevHash, hash), then one"
            + " {\"type\":\"signature\"} line per signed day. How to recompute each hash by hand:"
            + " docs/reliability.md."
      })
  static final class Export implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, description = "Path of lp-archiver.yaml.")
    Path config;

    @Option(
        names = {"--out", "--output"},
        description = "Write to this file instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
      ArchiverConfig cfg = ConfigLoader.fromSystem().load(config);
      StateStore state;
      try {
        state = StateStore.openReadOnly(cfg.state().dir(), Clock.systemUTC());
      } catch (StateStoreException e) {
        spec.commandLine().getErr().println("audit export: " + e.getMessage());
        return Main.BAD_CONFIG;
      }
      Writer out =
          output == null
              ? spec.commandLine().getOut()
              : new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8);
      long entries;
      int signatures;
      try (state) {
        entries = state.exportAudit(e -> write(out, entry(e)));
        var signed = state.auditSignatures();
        signed.forEach(s -> write(out, signature(s)));
        signatures = signed.size();
      } finally {
        out.flush();
        if (output != null) {
          out.close();
        }
      }
      if (output != null) {
        spec.commandLine()
            .getErr()
            .println(
                "Wrote " + output + " (" + entries + " entries, " + signatures + " signed days)");
      }
      return Main.OK;
    }

    private static ObjectNode entry(AuditEntry e) {
      ObjectNode n = JSON.createObjectNode();
      n.put("type", "entry").put("seq", e.seq()).put("at", e.at()).put("event", e.event());
      n.put("subject", e.subject()).put("detail", e.detail());
      n.put("prevHash", e.prevHash()).put("hash", e.hash());
      return n;
    }

    private static ObjectNode signature(AuditSignature s) {
      ObjectNode n = JSON.createObjectNode();
      n.put("type", "signature").put("day", s.day()).put("seq", s.seq()).put("hash", s.hash());
      n.put("algorithm", s.algorithm()).put("keyId", s.keyId()).put("signature", s.signature());
      return n;
    }

    private static void write(Writer out, ObjectNode line) {
      try {
        out.write(line.toString());
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
