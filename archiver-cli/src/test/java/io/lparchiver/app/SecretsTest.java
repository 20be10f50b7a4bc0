package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.app.server.ArchiverMetrics;
import io.lparchiver.app.server.StatusReader;
import io.lparchiver.app.server.StatusServer;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigLoader;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.state.StateStore;
import io.lparchiver.testing.FakeSmtpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known secret values through the scenarios that handle them: a sync refused by LivePerson, a sync
 * whose SMTP target refuses every copy, {@code check} with a wrong target password, a good sync,
 * {@code log export}, the status page, /api/status and /metrics. None of the secrets may appear in
 * any output, log line, exception message, state file (ledger, audit, runs, dead letters), archived
 * email or HTTP body.
 */
class SecretsTest {

  private static final String SMTP_PASSWORD = "smtp-S3cret-4e1f9a";
  private static final String WRONG_SMTP_PASSWORD = "smtp-Wr0ng-77c2d0";
  private static final String WRONG_LP_SECRET = "lp-Wr0ng-secret-5b8e";
  private static final String SERVER_TOKEN = "status-T0ken-9d3a61";
  private static final String ALERT_PASSWORD = "alert-P4ss-0c7b22";

  @TempDir Path dir;
  private final StringBuilder seen = new StringBuilder();

  @Test
  void noSecretReachesAnyOutputLogStateFileOrPage() throws Exception {
    SimulatorCredentials creds = SimulatorCredentials.demo();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(30, 4, 3, now, 10));
    try (LivePersonSimulator sim =
            LivePersonSimulator.builder()
                .port(0)
                .credentials(creds)
                .dataSet(data)
                .faults(Faults.none())
                .build()
                .start();
        FakeSmtpServer smtp = new FakeSmtpServer("archiver", SMTP_PASSWORD)) {
      String base =
          DemoCommand.configYaml(
                  sim, creds, "./archive", "./state", "", now.minus(11, ChronoUnit.DAYS))
              + "server:\n  bind: 127.0.0.1:0\n  token: "
              + SERVER_TOKEN
              + "\nalerts:\n  email:\n    to: [ops@example.com]\n    from: lp@example.com\n"
              + "    host: 127.0.0.1\n    port: "
              + smtp.port()
              + "\n    security: none\n    allowInsecure: true\n    username: archiver\n"
              + "    password: "
              + ALERT_PASSWORD
              + "\n";
      Path maildir = write("maildir.yaml", base);
      Path smtpTarget =
          write("smtp.yaml", base.replace("  type: maildir\n", smtpTarget(smtp, SMTP_PASSWORD)));
      Path wrongSmtp =
          write(
              "wrong-smtp.yaml",
              base.replace("  type: maildir\n", smtpTarget(smtp, WRONG_SMTP_PASSWORD)));
      Path wrongLp = write("wrong-lp.yaml", base.replace(creds.consumerSecret(), WRONG_LP_SECRET));

      assertThat(cli("sync", "--config", wrongLp.toString()))
          .as("refused by LivePerson")
          .isEqualTo(2);
      smtp.answerData("554 5.7.1 refused by policy");
      assertThat(cli("sync", "--config", smtpTarget.toString()))
          .as("target refuses every copy")
          .isNotZero();
      cli("check", "--config", wrongSmtp.toString()); // its checklist is searched below
      assertThat(cli("sync", "--config", maildir.toString())).isZero();
      assertThat(cli("log", "export", "--config", maildir.toString(), "--format", "csv")).isZero();
      assertThat(cli("status", "--config", maildir.toString())).isZero();
      readPages(maildir);

      List<String> secrets =
          List.of(
              creds.consumerSecret(),
              creds.tokenSecret(),
              WRONG_LP_SECRET,
              SMTP_PASSWORD,
              WRONG_SMTP_PASSWORD,
              SERVER_TOKEN,
              ALERT_PASSWORD);
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          if (!f.getFileName().toString().endsWith(".yaml")) {
            seen.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
          }
        }
      }
      for (FakeSmtpServer.Received r : smtp.received()) {
        seen.append(new String(r.data(), StandardCharsets.ISO_8859_1));
      }
      Path log = Path.of("target", "test-logs", "lp-archiver.log");
      assertThat(log).exists();
      seen.append(Files.readString(log, StandardCharsets.ISO_8859_1));
      String everything = seen.toString();
      assertThat(everything)
          .as("the scenarios ran and produced output")
          .contains("lparchiver_")
          .contains("[FAIL] target smtp: ") // check tried the target with the wrong password
          .contains("535 5.7.8")
          .contains("554 5.7.1")
          .contains("Unmapped participants")
          .contains("LivePerson");
      for (String secret : secrets) {
        assertThat(everything)
            .as("secret %s leaked", secret.substring(0, 4))
            .doesNotContain(secret);
      }
    }
  }

  private static String smtpTarget(FakeSmtpServer smtp, String password) {
    return "  type: smtp\n  smtp:\n    host: 127.0.0.1\n    port: "
        + smtp.port()
        + "\n    security: none\n    allowInsecure: true\n    username: archiver\n    password: "
        + password
        + "\n    envelopeFrom: archiver@brand.example\n";
  }

  private Path write(String name, String yaml) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  private int cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    seen.append(out).append(err);
    return exit;
  }

  private void readPages(Path config) throws Exception {
    Clock clock = Clock.systemUTC();
    ArchiverConfig cfg = ConfigLoader.fromSystem().load(config);
    HttpClient http = HttpClient.newHttpClient();
    try (StateStore reader = StateStore.openReadOnly(cfg.state().dir(), clock);
        StatusServer server =
            StatusServer.start(
                cfg.server().bind(),
                cfg.server().token(),
                new StatusReader(
                    reader,
                    cfg.source().liveperson().channels(),
                    StatusReader.Schedule.none(),
                    cfg.alerts().maxLag(),
                    "maildir",
                    clock),
                reader,
                new ArchiverMetrics(() -> 0.0, () -> 0.0),
                () -> 0,
                cfg.target().folder())) {
      for (String path : List.of("/", "/api/status", "/metrics", "/log.csv", "/healthz")) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + server.hostAndPort() + path))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        seen.append(r.body());
      }
    }
  }
}
