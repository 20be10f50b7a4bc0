package io.lparchiver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The end-to-end benchmark: lp-archiver {@code sync} into a Maildir against the LivePerson
 * simulator, then {@link Floor} doing the least work the same job needs, both as separate processes
 * measured by GNU time; reports the ratio. Started by {@code bench/run}.
 */
public final class EndToEndBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern GC_AFTER = Pattern.compile("->(\\d+)M\\(");

  private EndToEndBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    int conversations = Integer.parseInt(opt.getOrDefault("conversations", "20000"));
    String xmx = opt.getOrDefault("xmx", "512m");
    Path jar =
        Path.of(opt.getOrDefault("jar", "archiver-cli/target/lp-archiver.jar")).toAbsolutePath();
    Path benchJar =
        Path.of(opt.getOrDefault("bench-jar", "archiver-bench/target/archiver-bench.jar"))
            .toAbsolutePath();
    Path results = Path.of(opt.getOrDefault("results", "bench/results"));
    Path work = Files.createTempDirectory("lp-bench-");
    int port = freePort();
    Instant now = Instant.now();
    Process simulator =
        new ProcessBuilder(
                java(),
                "-Xmx6g",
                "-jar",
                jar.toString(),
                "simulate",
                "liveperson",
                "--port",
                Integer.toString(port),
                "--conversations",
                Integer.toString(conversations),
                "--agents",
                "20",
                "--seed",
                opt.getOrDefault("seed", "7"))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("simulator.log").toFile())
            .start();
    try {
      String domainApi = "http://127.0.0.1:" + port;
      awaitUp(domainApi, simulator);
      Path config = writeConfig(work, domainApi, now.minus(61, ChronoUnit.DAYS));
      Measured sync =
          measure(
              work,
              "sync",
              List.of(
                  java(),
                  "-Xmx" + xmx,
                  "-Xlog:gc:file=" + work.resolve("gc-sync.log"),
                  "-jar",
                  jar.toString(),
                  "sync",
                  "--config",
                  config.toString(),
                  "--json"));
      JsonNode summary = JSON.readTree(lastLine(sync.stdout()));
      Measured floor =
          measure(
              work,
              "floor",
              List.of(
                  java(),
                  "-Xmx" + xmx,
                  "-cp",
                  benchJar.toString(),
                  Floor.class.getName(),
                  domainApi,
                  "12345678",
                  now.minus(61, ChronoUnit.DAYS).toString(),
                  now.toString(),
                  work.resolve("archive").toString(),
                  work.resolve("floor").toString()));
      ObjectNode report =
          report(
              conversations,
              xmx,
              summary,
              sync,
              floor,
              archiveBytes(work.resolve("archive")),
              peakHeapAfterGc(work.resolve("gc-sync.log")));
      print(report);
      Files.createDirectories(results);
      Path file = results.resolve("e2e-" + Instant.now().toString().replace(':', '-') + ".json");
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
      System.out.println("written " + file);
    } finally {
      simulator.destroy();
      simulator.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private record Measured(double wallSeconds, double cpuSeconds, long peakRssKb, String stdout) {}

  private static Measured measure(Path work, String name, List<String> command) throws Exception {
    List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-v"));
    timed.addAll(command);
    Path out = work.resolve(name + ".out");
    Path err = work.resolve(name + ".err");
    Process p =
        new ProcessBuilder(timed).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
      throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "); see " + err);
    }
    String time = Files.readString(err);
    return new Measured(
        wallSeconds(field(time, "Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\): (.+)")),
        Double.parseDouble(field(time, "User time \\(seconds\\): (.+)"))
            + Double.parseDouble(field(time, "System time \\(seconds\\): (.+)")),
        Long.parseLong(field(time, "Maximum resident set size \\(kbytes\\): (\\d+)")),
        Files.readString(out));
  }

  private static ObjectNode report(
      int conversations,
      String xmx,
      JsonNode summary,
      Measured sync,
      Measured floor,
      long bytes,
      long peakHeapMb)
      throws Exception {
    ObjectNode r = JSON.createObjectNode();
    r.put("time", Instant.now().toString());
    r.put("commit", command("git", "rev-parse", "HEAD"));
    r.put(
        "machine",
        command("uname", "-srm") + ", " + Runtime.getRuntime().availableProcessors() + " cpus");
    r.put("java", System.getProperty("java.version"));
    r.put("conversationsSeeded", conversations);
    r.put("xmx", xmx);
    r.set("syncSummary", summary);
    ObjectNode lp = r.putObject("lpArchiver");
    lp.put("wallSeconds", sync.wallSeconds())
        .put("cpuSeconds", sync.cpuSeconds())
        .put("peakRssMb", sync.peakRssKb() / 1024);
    lp.put("peakHeapAfterGcMb", peakHeapMb);
    lp.put("conversationsPerSecond", summary.get("conversations").asDouble() / sync.wallSeconds());
    lp.put("emailsPerSecond", summary.get("emails").asDouble() / sync.wallSeconds());
    lp.put("megabytesPerSecond", bytes / 1e6 / sync.wallSeconds());
    ObjectNode fl = r.putObject("floor");
    fl.put("wallSeconds", floor.wallSeconds())
        .put("cpuSeconds", floor.cpuSeconds())
        .put("peakRssMb", floor.peakRssKb() / 1024);
    r.put("archiveBytes", bytes);
    r.put("ratioWall", sync.wallSeconds() / floor.wallSeconds());
    r.put("ratioCpu", sync.cpuSeconds() / Math.max(0.01, floor.cpuSeconds()));
    return r;
  }

  private static void print(ObjectNode r) {
    JsonNode lp = r.get("lpArchiver");
    JsonNode fl = r.get("floor");
    System.out.printf("%n%-28s %12s %12s%n", "", "lp-archiver", "floor");
    System.out.printf(
        "%-28s %12.1f %12.1f%n",
        "wall seconds", lp.get("wallSeconds").asDouble(), fl.get("wallSeconds").asDouble());
    System.out.printf(
        "%-28s %12.1f %12.1f%n",
        "CPU seconds", lp.get("cpuSeconds").asDouble(), fl.get("cpuSeconds").asDouble());
    System.out.printf(
        "%-28s %12d %12d%n",
        "peak RSS MB", lp.get("peakRssMb").asLong(), fl.get("peakRssMb").asLong());
    System.out.printf(
        "%-28s %12d%n", "peak heap after GC MB", lp.get("peakHeapAfterGcMb").asLong());
    System.out.printf(
        "%-28s %12.1f%n", "conversations/s", lp.get("conversationsPerSecond").asDouble());
    System.out.printf("%-28s %12.1f%n", "emails/s", lp.get("emailsPerSecond").asDouble());
    System.out.printf("%-28s %12.2f%n", "MB/s", lp.get("megabytesPerSecond").asDouble());
    System.out.printf("%-28s %12.2f%n", "ratio lp-archiver/floor", r.get("ratioWall").asDouble());
  }

  private static Path writeConfig(Path work, String domainApi, Instant backfillFrom)
      throws IOException {
    Path config = work.resolve("lp-archiver.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "source:",
            "  liveperson:",
            "    account: \"12345678\"",
            "    domainApi: " + domainApi,
            "    allowedHosts: [127.0.0.1]",
            "    auth: {type: oauth1, consumerKey: demo-app-key, consumerSecret: demo-app-secret,"
                + " token: demo-access-token, tokenSecret: demo-access-token-secret}",
            "    backfillFrom: " + backfillFrom,
            "mapping:",
            "  fallbackMailbox: compliance-archive@brand.example",
            "target:",
            "  type: maildir",
            "  maildir: {root: ./archive}",
            "state: {dir: ./state}",
            ""),
        StandardCharsets.UTF_8);
    return config;
  }

  private static void awaitUp(String domainApi, Process simulator) throws Exception {
    URI probe =
        URI.create(domainApi + "/api/account/12345678/service/msgHist/baseURI.json?version=1.0");
    for (int i = 0; i < 1500; i++) {
      if (!simulator.isAlive()) {
        throw new IllegalStateException("the simulator exited; see its log");
      }
      try {
        HttpURLConnection c = (HttpURLConnection) probe.toURL().openConnection();
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still generating data
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the simulator did not answer within 5 minutes");
  }

  private static long archiveBytes(Path archive) throws IOException {
    try (Stream<Path> walk = Files.walk(archive)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getParent().getFileName().toString().equals("new"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  private static long peakHeapAfterGc(Path gcLog) throws IOException {
    long peak = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC_AFTER.matcher(line);
      if (m.find()) {
        peak = Math.max(peak, Long.parseLong(m.group(1)));
      }
    }
    return peak;
  }

  private static double wallSeconds(String text) {
    String[] parts = text.trim().split(":");
    double seconds = 0;
    for (String part : parts) {
      seconds = seconds * 60 + Double.parseDouble(part);
    }
    return seconds;
  }

  private static String field(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("GNU time output lacks " + regex);
    }
    return m.group(1).trim();
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static String command(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return opt;
  }
}
