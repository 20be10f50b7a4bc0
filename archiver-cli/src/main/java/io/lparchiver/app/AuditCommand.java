package io.lparchiver.app;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.pipeline.verify.VerifyReport;
import io.lparchiver.state.AuditExport;
import io.lparchiver.state.AuditPublicKey;
import io.lparchiver.state.AuditSigner;
import io.lparchiver.state.StateStore;
import io.lparchiver.state.StateStoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code audit}: the hash-chained audit trail, for auditors. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The tamper-evident audit trail.",
    subcommands = {
      AuditCommand.Export.class,
      AuditCommand.PublicKey.class,
      AuditCommand.VerifySignatures.class
    })
final class AuditCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads an Ed25519 public key PEM file; a bad one is a usage error that says how to make one. */
  static AuditPublicKey readPublicKey(CommandSpec spec, Path file) {
    try {
      return AuditPublicKey.fromPem(
          Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "--public-key " + file + " cannot be read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--public-key " + e.getMessage());
    }
  }

  /** {@code audit public-key}: what an auditor needs to check Ed25519 signatures. */
  @Command(
      name = "public-key",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the public key of the Ed25519 audit.signingKey (PEM), so an auditor can check the"
            + " day signatures (`verify --public-key`, `audit verify-signatures`) without the"
            + " private key. An HMAC secret has no public key."
      })
  static final class PublicKey implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ConfigFile config;

    @Mixin OutputFile output;

    @Override
    public Integer call() throws IOException {
      ArchiverConfig cfg = config.load();
      Optional<AuditSigner> signer = Archiver.auditSigner(cfg);
      if (signer.isEmpty() || signer.get().publicKey().isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "audit public-key: "
                    + (signer.isEmpty()
                        ? "audit.signingKey is not set"
                        : "audit.signingKey is an HMAC secret, which has no public key")
                    + ". For signatures an auditor can check, generate an Ed25519 key with"
                    + " `openssl genpkey -algorithm ed25519 -out audit-key.pem` and set"
                    + " audit.signingKey to its PEM text (docs/operations.md).");
        return Main.BAD_CONFIG;
      }
      String pem = signer.get().publicKey().get().pem();
      if (output.path == null) {
        spec.commandLine().getOut().print(pem);
        spec.commandLine().getOut().flush();
      } else {
        Files.writeString(output.path, pem, StandardCharsets.US_ASCII);
        spec.commandLine()
            .getErr()
            .println("Wrote " + output.path + " (Ed25519, key id " + signer.get().keyId() + ")");
      }
      return Main.OK;
    }
  }

  /** {@code audit verify-signatures}: an auditor's check of an export, with the public key only. */
  @Command(
      name = "verify-signatures",
      mixinStandardHelpOptions = true,
      description = {
        "Checks an `audit export` file with only the Ed25519 public key: recomputes the hash"
            + " chain and checks every day signature. Needs neither the state nor the"
            + " configuration.",
        "Exit codes: 0 intact; 4 a broken link or a signature problem (each named); 2 bad usage"
            + " or an unreadable file."
      })
  static final class VerifySignatures implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = {"--in", "--input"},
        required = true,
        paramLabel = "FILE",
        description = "The JSON lines written by `audit export`.")
    Path input;

    @Option(
        names = "--public-key",
        required = true,
        paramLabel = "FILE",
        description = "The Ed25519 public key (PEM) from `audit public-key`.")
    Path publicKey;

    @Override
    public Integer call() {
      AuditPublicKey key = readPublicKey(spec, publicKey);
      AuditExport.Result result;
      try {
        result = AuditExport.check(input, key);
      } catch (IOException | IllegalArgumentException e) {
        spec.commandLine()
            .getErr()
            .println("audit verify-signatures: " + input + ": " + e.getMessage());
        return Main.BAD_CONFIG;
      }
      PrintWriter out = spec.commandLine().getOut();
      result.problems().forEach(p -> out.println("AUDIT          audit trail: " + p));
      out.println(
          "Audit export: "
              + result.entries()
              + " entries, "
              + result.signatures()
              + " day signature(s) checked with Ed25519 key "
              + key.keyId()
              + ": "
              + (result.intact() ? "intact." : "NOT INTACT (" + result.problems().size() + ")."));
      out.flush();
      return result.intact() ? Main.OK : VerifyReport.NOT_INTACT;
    }
  }

  /** {@code audit export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Writes the audit chain as JSON lines, oldest first: one {\"type\":\"entry\"} line per"
            + " entry (seq, at, event, subject, detail, prevHash, hash), then one"
            + " {\"type\":\"signature\"} line per signed day, and with an Ed25519"
            + " audit.signingKey one {\"type\":\"key\"} line with its public key. How to"
            + " recompute each hash by hand: docs/reliability.md."
      })
  static final class Export implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ConfigFile config;

    @Mixin OutputFile output;

    @Override
    public Integer call() throws IOException {
      ArchiverConfig cfg = config.load();
      StateStore state;
      try {
        state = StateStore.openReadOnly(cfg.state().dir(), Clock.systemUTC());
      } catch (StateStoreException e) {
        spec.commandLine().getErr().println("audit export: " + e.getMessage());
        return Main.BAD_CONFIG;
      }
      try (state) {
        output.write(
            spec,
            out ->
                AuditExport.write(
                    state, Archiver.auditSigner(cfg).flatMap(AuditSigner::publicKey), out),
            written -> written.entries() + " entries, " + written.signatures() + " signed days");
      }
      return Main.OK;
    }
  }
}
