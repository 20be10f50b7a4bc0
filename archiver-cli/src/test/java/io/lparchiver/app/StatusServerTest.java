package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.app.server.ArchiverMetrics;
import io.lparchiver.app.server.StatusReader;
import io.lparchiver.app.server.StatusServer;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.config.ConfigLoader;
import io.lparchiver.config.Secret;
import io.lparchiver.model.Channel;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.pipeline.SyncJob;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.LedgerCounts;
import io.lparchiver.state.RunRecord;
import io.lparchiver.state.StateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The status server against a real state filled by a real sync against the LivePerson simulator on
 * 127.0.0.1, and {@code run} doing scheduled syncs.
 */
class StatusServerTest {

  static final String TOKEN = "retry-token-for-tests";
  static final String SCRIPT = "<script>alert('lp')</script>";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK = Clock.systemUTC();

  @TempDir Path dir;
  private LivePersonSimulator sim;
  private Path config;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void startSimulator() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(60, 5, 7, now, 10));
    sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .build()
            .start();
    config = dir.resolve("lp-archiver.yaml");
    Files.writeString(dir.resolve("mapping.csv"), "participant,mailbox\n");
    // No fallback mailbox: conversations no agent maps are dead-lettered as unmapped.
    Files.writeString(
        config,
        DemoCommand.configYaml(
                    sim,
                    SimulatorCredentials.demo(),
                    "./archive",
                    "./state",
                    "mapping.csv",
                    now.minus(11, ChronoUnit.DAYS))
                .replace("  fallbackMailbox: compliance-archive@brand.example\n", "")
            + "schedule:\n  interval: 1s\nserver:\n  bind: 127.0.0.1:0\n  token: "
            + TOKEN
            + "\n");
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  ArchiverConfig cfg() {
    return ConfigLoader.fromSystem().load(config);
  }

  /** One real sync with metrics, then a dead letter whose reason is markup. */
  private ArchiverMetrics syncWithMetrics(ArchiverConfig cfg) throws Exception {
    ArchiverMetrics metrics = new ArchiverMetrics(() -> 0.0, () -> 0.0);
    try (Archiver archiver = Archiver.open(cfg, CLOCK, true)) {
      archiver
          .syncJob()
          .run(new SyncJob.Options(Optional.empty(), false), SyncJob.Progress.none(), metrics);
    }
    try (StateStore state = StateStore.open(cfg.state().dir(), CLOCK)) {
      state.deadLetter(
          DeadLetter.of(
              sim.account(),
              Channel.MESSAGING,
              "conv-" + SCRIPT,
              0,
              "",
              DeadLetterStage.PARSE,
              "bad record " + SCRIPT,
              CLOCK.instant()));
    }
    return metrics;
  }

  @Test
  void pageApiLogAndMetricsMatchTheLedgerAndEscapeLivePersonText() throws Exception {
    ArchiverConfig cfg = cfg();
    ArchiverMetrics metrics = syncWithMetrics(cfg);
    AtomicInteger retries = new AtomicInteger();
    try (StateStore reader = StateStore.openReadOnly(cfg.state().dir(), CLOCK);
        StatusServer server = server(cfg, reader, metrics, retries)) {
      LedgerCounts counts = reader.counts();
      assertThat(counts.deliveries()).isPositive();
      assertThat(counts.openDeadLetters()).isGreaterThan(1);
      String base = "http://127.0.0.1:" + server.port();
      String today = LocalDate.now(ZoneOffset.UTC).toString();

      HttpResponse<String> page = get(base + "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
      String html = page.body();
      assertThat(html)
          .contains("degraded")
          .contains(counts.openDeadLetters() + " open dead letters");
      assertThat(html).doesNotContain(SCRIPT).contains("&lt;script&gt;");
      Matcher row =
          Pattern.compile("<td class=\"l\">" + today + "</td>((?:<td>\\d+</td>){7})").matcher(html);
      assertThat(row.find()).as("today's row").isTrue();
      List<Long> cells = new ArrayList<>();
      Matcher cell = Pattern.compile("<td>(\\d+)</td>").matcher(row.group(1));
      while (cell.find()) {
        cells.add(Long.parseLong(cell.group(1)));
      }
      RunRecord run = reader.lastRun().orElseThrow();
      long unmapped =
          reader.openDeadLetters().stream().filter(d -> d.stage() == DeadLetterStage.MAP).count();
      // found, after fan-out, imported, duplicates, externalised, failed, unmapped
      assertThat(cells)
          .containsExactly(
              (long) run.summary().orElseThrow().conversations(),
              counts.deliveries() + 1,
              counts.deliveries(),
              0L,
              0L,
              1L,
              unmapped);
      assertThat(html).contains("<svg class=\"chart\"").contains("href=\"/log.csv\"");

      JsonNode api = JSON.readTree(get(base + "/api/status").body());
      assertThat(api.get("state").asText()).isEqualTo("degraded");
      JsonNode lastDay = api.get("days").get(api.get("days").size() - 1);
      assertThat(lastDay.get("day").asText()).isEqualTo(today);
      assertThat(lastDay.get("imported").asLong()).isEqualTo(counts.deliveries());
      assertThat(api.get("deadLetters")).hasSize((int) counts.openDeadLetters());
      assertThat(api.toString()).doesNotContain(TOKEN);

      List<List<String>> csv = Csv.parse(get(base + "/log.csv").body());
      assertThat(csv.get(0)).isEqualTo(LogCsv.HEADER);
      assertThat(csv).hasSize(1 + (int) counts.deliveries() + (int) counts.openDeadLetters());
      Map<String, Integer> outcomes = new HashMap<>();
      csv.subList(1, csv.size()).forEach(r -> outcomes.merge(r.get(7), 1, Integer::sum));
      assertThat(outcomes)
          .containsEntry("imported", (int) counts.deliveries())
          .containsEntry("unmapped", (int) unmapped)
          .containsEntry("failed", 1);
      List<String> imported =
          csv.stream().filter(r -> r.get(7).equals("imported")).findFirst().orElseThrow();
      assertThat(imported.get(1)).isEqualTo(Long.toString(run.id()));
      assertThat(imported.get(6)).isEqualTo(cfg.target().folder());
      assertThat(imported.get(9)).matches("[0-9a-f]{64}");
      assertThat(csv).anySatisfy(r -> assertThat(r.get(11)).contains(SCRIPT));

      Map<String, Double> prom = Prometheus.parse(get(base + "/metrics").body());
      assertThat(prom.get("lparchiver_deliveries_total{outcome=\"imported\"}"))
          .isEqualTo((double) counts.deliveries());
      assertThat(prom.get("lparchiver_deliveries_total{outcome=\"failed\"}"))
          .isEqualTo((double) unmapped);
      assertThat(prom.get("lparchiver_conversations_fetched_total"))
          .isEqualTo((double) run.summary().orElseThrow().conversations());
      assertThat(prom.get("lparchiver_delivered_bytes_total")).isPositive();
      assertThat(prom.get("lparchiver_run_duration_seconds_count")).isEqualTo(1.0);
      assertThat(prom).containsKey("lparchiver_checkpoint_lag_seconds");

      assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(base + "/readyz").statusCode()).isEqualTo(200);
      assertThat(get(base + "/nope").statusCode()).isEqualTo(404);

      assertThat(post(base + "/retry", "", Map.of()).statusCode()).isEqualTo(403);
      assertThat(post(base + "/retry", "token=wrong", Map.of()).statusCode()).isEqualTo(403);
      assertThat(post(base + "/retry", "", Map.of(StatusServer.TOKEN_HEADER, "wrong")).statusCode())
          .isEqualTo(403);
      assertThat(retries).hasValue(0);
      assertThat(post(base + "/retry", "token=" + TOKEN, Map.of()).statusCode()).isEqualTo(202);
      assertThat(post(base + "/retry", "", Map.of(StatusServer.TOKEN_HEADER, TOKEN)).statusCode())
          .isEqualTo(202);
      assertThat(retries).hasValue(2);
    }
  }

  @Test
  void retryReReadsDeadLetteredConversationsByIdOnceTheMappingIsFixed() throws Exception {
    ArchiverConfig cfg = cfg();
    syncWithMetrics(cfg);
    Files.writeString(
        config,
        Files.readString(config)
            .replace("mapping:\n", "mapping:\n  fallbackMailbox: fixed@brand.example\n"));
    ArchiverConfig fixed = cfg();
    try (Archiver archiver = Archiver.open(fixed, CLOCK, true)) {
      List<DeadLetter> open = openDeadLetters(fixed);
      var report = archiver.syncJob().retry(open, io.lparchiver.pipeline.SyncListener.none());
      assertThat(report.deliveries()).isEqualTo(open.size() - 1);
    }
    List<DeadLetter> left = openDeadLetters(fixed);
    assertThat(left).singleElement().satisfies(d -> assertThat(d.reason()).contains(SCRIPT));
    assertThat(Files.list(fixed.target().maildir().root()).map(p -> p.getFileName().toString()))
        .contains("fixed@brand.example");
  }

  private static List<DeadLetter> openDeadLetters(ArchiverConfig cfg) {
    try (StateStore s = StateStore.openReadOnly(cfg.state().dir(), CLOCK)) {
      return s.openDeadLetters();
    }
  }

  @Test
  void aNonLoopbackBindIsRefusedWithoutAToken() {
    ArchiverConfig cfg = cfg();
    ArchiverMetrics metrics = new ArchiverMetrics(() -> 0.0, () -> 0.0);
    assertThatThrownBy(
            () ->
                StatusServer.start(
                    "0.0.0.0:0", Optional.empty(), null, null, metrics, () -> 0, "f"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.token");
    assertThatThrownBy(
            () ->
                StatusServer.start(
                    "0.0.0.0:0", Optional.of(Secret.of(" ")), null, null, metrics, () -> 0, "f"))
        .isInstanceOf(ConfigException.class);
    assertThat(cfg.server().token()).isPresent();
  }

  @Test
  void runSyncsOnScheduleTwiceThenStopsCleanly() throws Exception {
    ExecutorService exec = Executors.newSingleThreadExecutor();
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Future<Integer> exit =
          exec.submit(
              () ->
                  Main.run(
                      new PrintWriter(out, true),
                      new PrintWriter(err, true),
                      "run",
                      "--config",
                      config.toString(),
                      "--max-runs",
                      "2"));
      assertThat(exit.get(120, TimeUnit.SECONDS)).as(err.toString()).isZero();
      assertThat(out.toString()).contains("status page http://127.0.0.1:").contains("stopped");
      try (StateStore s = StateStore.openReadOnly(cfg().state().dir(), CLOCK)) {
        RunRecord last = s.lastRun().orElseThrow();
        assertThat(last.id()).isEqualTo(2);
        assertThat(last.finished()).isPresent();
        assertThat(last.summary().orElseThrow().deliveries()).isZero(); // all done by run 1
      }
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void inHeadlessChromiumThePageShowsStateCountsAndMarkupAsText() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Path driver = Path.of("/usr/bin/chromedriver");
    boolean present = Files.isExecutable(chromium) && Files.isExecutable(driver);
    if (!"true".equals(System.getenv("CI"))) {
      org.junit.jupiter.api.Assumptions.assumeTrue(present, "chromium/chromium-driver absent");
    }
    assertThat(present).as("CI installs chromium and chromium-driver (.ci/run)").isTrue();
    // Selenium Manager must not download anything: name the driver and the browser.
    System.setProperty("webdriver.chrome.driver", driver.toString());
    ArchiverConfig cfg = cfg();
    ArchiverMetrics metrics = syncWithMetrics(cfg);
    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
    try (StateStore reader = StateStore.openReadOnly(cfg.state().dir(), CLOCK);
        StatusServer server = server(cfg, reader, metrics, new AtomicInteger())) {
      org.openqa.selenium.chrome.ChromeOptions options =
          new org.openqa.selenium.chrome.ChromeOptions();
      options.setBinary(chromium.toFile());
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
          "--window-size=1200,1500",
          "--user-data-dir=" + profile);
      var service =
          new org.openqa.selenium.chrome.ChromeDriverService.Builder()
              .usingDriverExecutable(driver.toFile())
              .build();
      var browser = new org.openqa.selenium.chrome.ChromeDriver(service, options);
      try {
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.get("http://127.0.0.1:" + server.port() + "/");
        assertThat(browser.getTitle()).isEqualTo("lp-archiver: degraded");
        assertThat(browser.findElement(By.id("level")).getText()).isEqualTo("degraded");
        assertThat(browser.findElement(By.id("dead-letters")).getText()).contains(SCRIPT);
        assertThat(browser.findElements(By.cssSelector("main script"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#per-day tbody tr"))).hasSize(30);
        assertThat(browser.findElement(By.linkText("Download log")).getAttribute("href"))
            .endsWith("/log.csv");
        assertThat(browser.findElement(By.cssSelector("form[action='/retry'] button")).getText())
            .contains("Retry");
        byte[] png = browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        assertThat(png).isNotEmpty();
        String shot = System.getenv("STATUS_PAGE_SCREENSHOT");
        if (shot != null) {
          Files.write(Path.of(shot), png);
        }
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void initWritesAStarterConfigOnceAndCheckPrintsTheChecklist() throws Exception {
    Path starter = dir.resolve("new/lp-archiver.yaml");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(Main.run(new PrintWriter(out), new PrintWriter(err), "init", starter.toString()))
        .isZero();
    assertThat(Files.readString(starter)).contains("schedule:").contains("${LP_CONSUMER_KEY}");
    assertThat(Main.run(new PrintWriter(out), new PrintWriter(err), "init", starter.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("never overwrites");

    StringWriter check = new StringWriter();
    int exit =
        Main.run(
            new PrintWriter(check), new PrintWriter(err), "check", "--config", config.toString());
    assertThat(exit).as(check.toString()).isZero();
    assertThat(check.toString())
        .contains("[ok]   config valid")
        .contains("[ok]   state folder writable")
        .contains("[ok]   mapping CSV valid")
        .contains("[ok]   LivePerson discovery reachable")
        .contains("[ok]   LivePerson auth (a tiny search)")
        .contains("[ok]   Users API permission")
        .contains("[ok]   target writable")
        .doesNotContain(SimulatorCredentials.demo().consumerSecret());

    Files.writeString(config, Files.readString(config).replace("demo-app-secret", "wrong-secret"));
    StringWriter bad = new StringWriter();
    assertThat(
            Main.run(
                new PrintWriter(bad), new PrintWriter(err), "check", "--config", config.toString()))
        .isEqualTo(2);
    assertThat(bad.toString())
        .contains("[FAIL] LivePerson auth")
        .contains("Fix the [FAIL]")
        .doesNotContain("wrong-secret");
  }

  static StatusServer server(
      ArchiverConfig cfg, StateStore reader, ArchiverMetrics metrics, AtomicInteger retries) {
    StatusReader status =
        new StatusReader(
            reader,
            cfg.source().liveperson().channels(),
            StatusReader.Schedule.none(),
            cfg.alerts().maxLag(),
            "maildir " + cfg.target().maildir().root(),
            CLOCK);
    return StatusServer.start(
        "127.0.0.1:0",
        cfg.server().token(),
        status,
        reader,
        metrics,
        retries::incrementAndGet,
        cfg.target().folder());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String form, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** RFC 4180 reader, enough for the log. */
  static final class Csv {
    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            f.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          row.add(f.toString());
          f.setLength(0);
        } else if (c == '\r') {
          continue;
        } else if (c == '\n') {
          row.add(f.toString());
          f.setLength(0);
          rows.add(row);
          row = new ArrayList<>();
        } else {
          f.append(c);
        }
      }
      return rows;
    }
  }

  /** Prometheus text format: {@code name{labels} value} per line, comments skipped. */
  static final class Prometheus {
    private static final Pattern LINE =
        Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) ([-+0-9.eENaInf]+)");

    static Map<String, Double> parse(String text) {
      Map<String, Double> out = new HashMap<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        Matcher m = LINE.matcher(line.trim());
        assertThat(m.matches()).as("metric line: %s", line).isTrue();
        out.put(m.group(1), Double.parseDouble(m.group(2)));
      }
      return out;
    }
  }
}
