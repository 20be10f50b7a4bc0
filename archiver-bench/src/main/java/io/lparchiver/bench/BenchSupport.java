package io.lparchiver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Receipt;
import io.lparchiver.sim.liveperson.AgentLogin;
import io.lparchiver.state.DeliveryRecord;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the end-to-end benchmarks share: the simulator process and GNU time measurements. */
final class BenchSupport {

  private BenchSupport() {}

  /** Starts the LivePerson simulator from the lp-archiver jar and waits until it answers. */
  static Process startSimulator(Path jar, Path work, int port, int conversations, String seed)
      throws Exception {
    return startSimulator(jar, work, port, conversations, seed, "1g", 0);
  }

  /**
   * The same with the simulator's heap ({@code --sim-xmx}): it keeps an index entry per
   * conversation and regenerates records on request, so 1 GB is ample for 200,000.
   */
  static Process startSimulator(
      Path jar,
      Path work,
      int port,
      int conversations,
      String seed,
      String heap,
      int largeFilePercent)
      throws Exception {
    Process simulator =
        new ProcessBuilder(
                java(),
                "-Xmx" + heap,
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
                seed,
                "--large-file-percent",
                Integer.toString(largeFilePercent))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("simulator.log").toFile())
            .start();
    try {
      // generating the data takes about 3 s per 1,000 conversations on a quiet machine
      awaitUp(
          "http://127.0.0.1:" + port,
          simulator,
          Duration.ofMinutes(5).plusSeconds(30L * conversations / 1000));
    } catch (Exception e) {
      simulator.destroy();
      throw e;
    }
    return simulator;
  }

  /**
   * One measured process.
   *
   * @param machineCpuSeconds the CPU time every process on the machine used while it ran (user,
   *     nice, system and interrupts from {@code /proc/stat}), its own included: with the servers it
   *     talks to on the same cores, whether the machine had any to spare
   * @param stealSeconds CPU time the hypervisor gave to other guests while the process wanted it
   *     (steal, {@code /proc/stat}): on a shared virtual machine, what makes one run slower than
   *     the next with nothing changed
   */
  record Measured(
      double wallSeconds,
      double cpuSeconds,
      long peakRssKb,
      String stdout,
      double machineCpuSeconds,
      double stealSeconds) {

    /** Of the machine's cores over the wall time, the share busy: 1.0 is saturated. */
    double machineBusy() {
      return machineCpuSeconds / (wallSeconds * Runtime.getRuntime().availableProcessors());
    }
  }

  static Measured measure(Path work, String name, List<String> command) throws Exception {
    flushDirtyPages();
    List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-v"));
    timed.addAll(command);
    Path out = work.resolve(name + ".out");
    Path err = work.resolve(name + ".err");
    String statBefore = procStatCpuLine();
    Process p =
        new ProcessBuilder(timed).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    boolean ended = p.waitFor(2, TimeUnit.HOURS);
    String statAfter = procStatCpuLine();
    if (!ended) {
      p.destroyForcibly();
      throw new IllegalStateException(name + " still running after 2 hours, stopped; see " + err);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "); see " + err);
    }
    String time = Files.readString(err);
    return new Measured(
        wallSeconds(field(time, "Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\): (.+)")),
        Double.parseDouble(field(time, "User time \\(seconds\\): (.+)"))
            + Double.parseDouble(field(time, "System time \\(seconds\\): (.+)")),
        Long.parseLong(field(time, "Maximum resident set size \\(kbytes\\): (\\d+)")),
        Files.readString(out),
        machineCpuSeconds(statAfter) - machineCpuSeconds(statBefore),
        stealSeconds(statAfter) - stealSeconds(statBefore));
  }

  /**
   * {@code /proc/stat}'s aggregate {@code cpu} line, its columns in USER_HZ ticks (100 a second on
   * Linux); "cpu" alone, which counts as 0 of everything, where there is no {@code /proc/stat}.
   */
  private static String procStatCpuLine() throws IOException {
    Path stat = Path.of("/proc/stat");
    if (!Files.isReadable(stat)) {
      return "cpu";
    }
    try (var lines = Files.lines(stat)) {
      return lines.findFirst().orElse("cpu");
    }
  }

  /** The steal seconds (the eighth column) of {@code /proc/stat}'s aggregate line; 0 if absent. */
  static double stealSeconds(String cpuLine) {
    String[] cpu = cpuLine.trim().split("\\s+");
    return cpu.length > 8 ? Long.parseLong(cpu[8]) / 100.0 : 0;
  }

  /**
   * CPU time the whole machine has used since boot: the user, nice, system, irq and softirq columns
   * of {@code /proc/stat}'s aggregate {@code cpu} line. Idle, iowait and steal are left out.
   */
  static double machineCpuSeconds(String cpuLine) {
    String[] cpu = cpuLine.trim().split("\\s+");
    long ticks = 0;
    for (int column : new int[] {1, 2, 3, 6, 7}) { // user, nice, system, irq, softirq
      ticks += column < cpu.length ? Long.parseLong(cpu[column]) : 0;
    }
    return ticks / 100.0;
  }

  /**
   * The JVM flags a benchmark's lp-archiver process gets: first the options lp-archiver ships with
   * ({@link #productJvmOptions}), then {@code --sync-jvm "FLAGS"} (A/B tests of JVM settings, which
   * win where they repeat one), then a JFR recording with {@code --profile FILE} to see where its
   * time goes.
   */
  static List<String> syncJvmFlags(Path jar, Map<String, String> opt) {
    List<String> flags = new ArrayList<>(productJvmOptions(jar, opt));
    if (opt.containsKey("sync-jvm")) {
      flags.addAll(List.of(opt.get("sync-jvm").trim().split("\\s+")));
    }
    if (opt.containsKey("profile")) {
      flags.add(
          "-XX:StartFlightRecording=settings=profile,filename="
              + Path.of(opt.get("profile")).toAbsolutePath());
    }
    return flags;
  }

  /** lp-archiver's {@code sync --config CONFIG --json} in a JVM with this heap and these flags. */
  static List<String> syncCommand(Path jar, Path config, String heap, List<String> jvmFlags) {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap));
    command.addAll(jvmFlags);
    command.addAll(
        List.of("-jar", jar.toString(), "sync", "--config", config.toString(), "--json"));
    return command;
  }

  /**
   * The options lp-archiver's launcher gives the JVM: {@code @jvm.options} from beside the jar, as
   * the build lays them out. {@code --plain-jvm} measures the JVM's defaults instead ({@code java
   * -jar} without the launcher).
   */
  static List<String> productJvmOptions(Path jar, Map<String, String> opt) {
    if (opt.containsKey("plain-jvm")) {
      return List.of();
    }
    return List.of("@" + jvmOptionsFile(jar));
  }

  private static Path jvmOptionsFile(Path jar) {
    Path options = jar.toAbsolutePath().resolveSibling("jvm.options");
    if (!Files.isRegularFile(options)) {
      throw new IllegalArgumentException(
          "no jvm.options beside "
              + jar
              + ": lp-archiver's launcher runs the jar with it; copy archiver-cli/target/jvm.options"
              + " next to the jar, or measure the JVM's defaults with --plain-jvm");
    }
    return options;
  }

  /** An lp-archiver config for the simulator's demo account and the given target. */
  static Path writeConfig(
      Path config, String domainApi, Instant backfillFrom, String target, String stateDir)
      throws IOException {
    return writeConfig(config, domainApi, backfillFrom, target, stateDir, false);
  }

  /**
   * @param hostedFiles download the hosted files and attach them ({@code files.enabled}, with the
   *     simulator's demo user login), as the end-to-end benchmark's data shape asks
   */
  static Path writeConfig(
      Path config,
      String domainApi,
      Instant backfillFrom,
      String target,
      String stateDir,
      boolean hostedFiles)
      throws IOException {
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
            hostedFiles
                ? "    files: {enabled: true, login: {username: "
                    + AgentLogin.demo().username()
                    + ", password: "
                    + AgentLogin.demo().password()
                    + "}}"
                : "    files: {enabled: false}",
            "    backfillFrom: " + backfillFrom,
            "mapping:",
            "  fallbackMailbox: compliance-archive@brand.example",
            "target:",
            target,
            "state: {dir: " + stateDir + "}",
            ""),
        StandardCharsets.UTF_8);
    return config;
  }

  /** The lp-archiver jar ({@code --jar}), by default the one the build made. */
  static Path lpArchiverJar(Map<String, String> opt) {
    return Path.of(opt.getOrDefault("jar", "archiver-cli/target/lp-archiver.jar")).toAbsolutePath();
  }

  /** The benchmark jar ({@code --bench-jar}), for the floors run as their own processes. */
  static Path benchJar(Map<String, String> opt) {
    return Path.of(opt.getOrDefault("bench-jar", "archiver-bench/target/archiver-bench.jar"))
        .toAbsolutePath();
  }

  /**
   * Writes {@code report} as {@code <kind>-<time>.json} under {@code --results} (bench/results).
   */
  static void writeResult(Map<String, String> opt, String kind, ObjectNode report)
      throws IOException {
    Path results = Path.of(opt.getOrDefault("results", "bench/results"));
    Files.createDirectories(results);
    Path file = results.resolve(kind + "-" + Instant.now().toString().replace(':', '-') + ".json");
    Files.writeString(
        file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    System.out.println("written " + file);
  }

  /**
   * When, on what commit and which machine: the first fields of every result file. The commit is
   * the working tree's; a jar given with {@code --jar} may have been built from another, so its
   * SHA-256 is recorded too.
   */
  static ObjectNode describeRun(ObjectNode r, Map<String, String> opt) throws Exception {
    r.put("time", Instant.now().toString());
    r.put("commit", checkoutCommit());
    Path jar = lpArchiverJar(opt);
    r.put("lpArchiverJar", jar.toString());
    r.put("lpArchiverJarSha256", Files.exists(jar) ? io.lparchiver.model.Sha256.of(jar) : "");
    ArrayNode jvmOptions = r.putArray("jvmOptions"); // lp-archiver's shipped options, as measured
    if (!opt.containsKey("plain-jvm") && Files.exists(jar)) {
      for (String line : Files.readAllLines(jvmOptionsFile(jar))) {
        String option = line.strip();
        if (!option.isEmpty() && !option.startsWith("#")) {
          jvmOptions.add(option);
        }
      }
    }
    if (opt.containsKey("sync-jvm")) {
      r.put("syncJvm", opt.get("sync-jvm")); // the measured sync ran with these extra flags
    }
    r.put(
        "machine",
        command("uname", "-srm") + ", " + Runtime.getRuntime().availableProcessors() + " cpus");
    r.put("cpu", cpu());
    r.put("java", System.getProperty("java.version"));
    return r;
  }

  /**
   * The CPU's model and the features the JDK's intrinsics use (SHA-256 and base64 differ by a
   * factor between hosts without them and with them), so runs on different hosts are told apart.
   */
  static String cpu() {
    try {
      List<String> info = Files.readAllLines(Path.of("/proc/cpuinfo"));
      String model =
          info.stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .findFirst()
              .orElse("unknown");
      List<String> flags =
          info.stream()
              .filter(l -> l.startsWith("flags"))
              .findFirst()
              .map(l -> List.of(l.substring(l.indexOf(':') + 1).strip().split("\\s+")))
              .orElse(List.of());
      List<String> notable =
          Stream.of("avx2", "avx512f", "sha_ni").filter(flags::contains).toList();
      return model + (notable.isEmpty() ? "" : " (" + String.join(" ", notable) + ")");
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void awaitUp(String domainApi, Process simulator, Duration limit) throws Exception {
    URI probe =
        URI.create(domainApi + "/api/account/12345678/service/msgHist/baseURI.json?version=1.0");
    for (long i = 0; i < limit.toMillis() / 200; i++) {
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
    throw new IllegalStateException(
        "the simulator did not answer within " + limit + "; see its log (give it more --sim-xmx?)");
  }

  static double wallSeconds(String text) {
    String[] parts = text.trim().split(":");
    double seconds = 0;
    for (String part : parts) {
      seconds = seconds * 60 + Double.parseDouble(part);
    }
    return seconds;
  }

  static String field(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("GNU time output lacks " + regex);
    }
    return m.group(1).trim();
  }

  static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  /**
   * Writes out what earlier phases left in the page cache (a 20,000-conversation sync leaves GBs),
   * so that a measured phase does not wait behind another's writes in its own fsyncs.
   */
  private static void flushDirtyPages() throws Exception {
    Process p = new ProcessBuilder("sync").inheritIO().start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("sync (flushing the page cache) still running after 10 min");
    }
  }

  /**
   * The commit of the checkout the benchmark runs in; "unknown" outside one (git's error message
   * once landed in this field), where the jar's SHA-256 alone names the build.
   */
  private static String checkoutCommit() throws Exception {
    String out = command("git", "rev-parse", "HEAD");
    return out.matches("[0-9a-f]{40}") ? out : "unknown";
  }

  static String command(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * {@code --name value} pairs; a {@code --flag} followed by another option or nothing is "true".
   */
  static Map<String, String> options(String[] args) {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].replaceFirst("^--", "");
      boolean flag = i + 1 == args.length || args[i + 1].startsWith("--");
      opt.put(name, flag ? "true" : args[++i]);
    }
    return opt;
  }

  /** Deletes a benchmark's work directory (kept when a run fails, for its logs). */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The ledger row of a copy just written, as {@code ConversationProcessor} records it. */
  static DeliveryRecord delivered(
      ArchiveEmail email, Receipt written, String targetType, String sourceSha256) {
    return new DeliveryRecord(
        email.key(),
        written.mailbox(),
        email.sha256(),
        email.size(),
        targetType,
        written.targetItemId(),
        DeliveryRecord.Outcome.DELIVERED,
        Instant.now(),
        sourceSha256);
  }
}
