package io.lparchiver.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code init}: writes a commented starter config; never overwrites. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Writes a commented starter lp-archiver.yaml to PATH (refuses to overwrite).")
final class InitCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      defaultValue = "lp-archiver.yaml",
      description = "Where to write the config (default: ${DEFAULT-VALUE}).")
  Path path;

  static final String STARTER =
      """
      # lp-archiver configuration. Every key: docs/configuration.md.
      # Secrets come from the environment (${NAME}); they are never printed.
      source:
        liveperson:
          account: "12345678"                     # your LivePerson site id
          auth:
            type: oauth1                          # an API key with Engagement History + Users
            consumerKey: ${LP_CONSUMER_KEY}
            consumerSecret: ${LP_CONSUMER_SECRET}
            token: ${LP_TOKEN}
            tokenSecret: ${LP_TOKEN_SECRET}
          channels: [messaging]
          # backfillFrom: 2025-11-01T00:00:00Z    # default: 13 months before the first run
      mapping:
        # csv: mapping.csv                        # header: participant,mailbox
        fallbackMailbox: lp-unmapped@example.com  # gets conversations nobody maps
      target:
        type: maildir
        folder: LivePerson Conversational Cloud DataParser
        maildir:
          root: ./archive
      state:
        dir: ./state                              # back this folder up (docs/operations.md)
      schedule:
        interval: 15m                             # or cron: "*/15 * * * *" (UTC)
      server:
        bind: 127.0.0.1:8080                      # status page, /metrics, /healthz
        # token: ${LP_ARCHIVER_TOKEN}             # needed for Retry and any non-loopback bind
      # alerts:
      #   webhook: https://hooks.example.com/...  # JSON {"text": ...}: Slack/Teams compatible
      #   maxLag: 2h
      # audit:
      #   signingKey: ${LP_ARCHIVER_AUDIT_KEY}   # signs each day's audit hash; checked by verify
      #   # Ed25519 (an auditor checks with the public key only; `audit public-key` writes it):
      #   #   openssl genpkey -algorithm ed25519 -out audit-key.pem
      #   #   export LP_ARCHIVER_AUDIT_KEY="$(cat audit-key.pem)"
      #   # any other text is an HMAC-SHA256 secret, checkable only with the secret itself
      """;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(path, STARTER, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      err.println(path + " exists; init never overwrites. Pick another path or edit that file.");
      return Main.BAD_CONFIG;
    } catch (IOException e) {
      err.println("cannot write " + path + ": " + e.getMessage());
      return Main.BAD_CONFIG;
    }
    out.println("Wrote " + path + ". Edit the account and mapping, export the LP_* variables,");
    out.println("then run: lp-archiver check --config " + path);
    out.flush();
    return Main.OK;
  }
}
