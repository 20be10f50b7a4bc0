package io.lparchiver.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.pipeline.verify.ArchiveVerifier;
import io.lparchiver.pipeline.verify.Finding;
import io.lparchiver.pipeline.verify.VerifyReport;
import io.lparchiver.state.AuditSignatureCheck;
import io.lparchiver.state.StateStore;
import io.lparchiver.state.StateStoreException;
import io.lparchiver.wiring.Stages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code verify}: the audit chain, and every ledger entry against the target. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Recomputes the audit hash chain (and its day signatures when audit.signingKey or"
          + " --public-key is set),"
          + " reads every archived copy back from the target and compares its SHA-256 with the"
          + " ledger, and lists each archive folder for lp-archiver items the ledger does not"
          + " know. Read-only; may run beside `run`.",
      "Exit codes: 0 all intact; 4 something missing, altered, unexpected, unreadable or the"
          + " audit trail broken; 5 nothing wrong found but some copies cannot be verified from"
          + " here (SMTP); 2 bad configuration or no state."
    })
final class VerifyCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ConfigFile config;

  @Option(
      names = "--from",
      description = "Only ledger entries delivered at or after this instant (ISO-8601).")
  Instant from;

  @Option(names = "--to", description = "Only ledger entries delivered before this instant.")
  Instant to;

  @Option(
      names = "--public-key",
      paramLabel = "FILE",
      description =
          "Check the Ed25519 day signatures with this public key (PEM, from `audit public-key`)"
              + " instead of audit.signingKey, so no private key is needed.")
  Path publicKey;

  @Option(
      names = "--json",
      description =
          "Print each finding as a JSON line, then a one-line JSON summary as the last line.")
  boolean json;

  @Override
  public Integer call() {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ParameterException(
          spec.commandLine(), "--from must be before --to (" + from + " .. " + to + ")");
    }
    Clock clock = Clock.systemUTC();
    ArchiverConfig cfg = config.load();
    Optional<? extends AuditSignatureCheck> signatures =
        publicKey == null
            ? Archiver.auditSigner(cfg)
            : Optional.of(AuditCommand.readPublicKey(spec, publicKey));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter human = json ? spec.commandLine().getErr() : out;
    StateStore state;
    try {
      state = StateStore.openReadOnly(cfg.state().dir(), clock);
    } catch (StateStoreException e) {
      spec.commandLine().getErr().println("verify: " + e.getMessage());
      return Main.BAD_CONFIG;
    }
    try (state;
        MailboxSink target = Archiver.readableTarget(cfg, clock)) {
      ArchiveVerifier verifier =
          new ArchiveVerifier(
              state, (ArchiveReader) target, signatures, Optional.of(Stages.overflowStore(cfg)));
      VerifyReport report =
          verifier.verify(
              Optional.ofNullable(from),
              Optional.ofNullable(to),
              f -> {
                if (json) {
                  out.println(json(f));
                } else {
                  human.println(line(f));
                }
              });
      printSummary(human, report, cfg, signatures);
      if (json) {
        out.println(json(report));
      }
      out.flush();
      human.flush();
      return report.exitCode();
    }
  }

  static String line(Finding f) {
    String where =
        f.kind() == Finding.Kind.AUDIT
            ? "audit trail"
            : f.mailbox()
                + " "
                + f.messageId()
                + (f.itemId().isEmpty() ? "" : " [" + f.itemId() + "]");
    return String.format(Locale.ROOT, "%-14s %s: %s", f.kind().name(), where, f.detail());
  }

  private static void printSummary(
      PrintWriter out,
      VerifyReport r,
      ArchiverConfig cfg,
      Optional<? extends AuditSignatureCheck> key) {
    out.println(
        "Audit trail: "
            + r.auditEntries()
            + " entries, hash chain "
            + (r.auditIntact() ? "intact" : "BROKEN")
            + "; "
            + r.signedDays()
            + " day signature(s) "
            + (r.signaturesChecked()
                ? "checked with " + key.map(k -> k.algorithm() + " key " + k.keyId()).orElse("")
                : "present, not checked (neither audit.signingKey nor --public-key is set)"));
    out.println(
        "Ledger ("
            + cfg.target().type()
            + "): "
            + r.ledgerEntries()
            + " entries checked: "
            + r.intact()
            + " intact, "
            + r.missing()
            + " missing, "
            + r.altered()
            + " altered, "
            + r.unreadable()
            + " unreadable, "
            + r.notVerifiable()
            + " not verifiable; "
            + r.unexpected()
            + " unexpected item(s) in "
            + r.mailboxes()
            + " archive folder(s) listed");
    out.println(
        switch (r.exitCode()) {
          case VerifyReport.INTACT -> "Verify: all intact.";
          case VerifyReport.NOT_VERIFIABLE ->
              "Verify: nothing wrong found, but "
                  + r.notVerifiable()
                  + " copies cannot be verified from here.";
          default -> "Verify: NOT INTACT (" + r.problems() + " problem(s) listed above).";
        });
  }

  private static String json(Finding f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("finding", f.kind().name().toLowerCase(Locale.ROOT));
    n.put("mailbox", f.mailbox()).put("messageId", f.messageId()).put("itemId", f.itemId());
    n.put("detail", f.detail());
    return n.toString();
  }

  private static String json(VerifyReport r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("intact", r.exitCode() == VerifyReport.INTACT);
    n.put("auditEntries", r.auditEntries()).put("auditIntact", r.auditIntact());
    n.put("signedDays", r.signedDays()).put("signaturesChecked", r.signaturesChecked());
    n.put("auditProblems", r.auditProblems()).put("ledgerEntries", r.ledgerEntries());
    n.put("intactEntries", r.intact()).put("missing", r.missing()).put("altered", r.altered());
    n.put("unreadable", r.unreadable()).put("notVerifiable", r.notVerifiable());
    n.put("mailboxes", r.mailboxes()).put("unexpected", r.unexpected());
    n.put("exitCode", r.exitCode());
    return n.toString();
  }
}
