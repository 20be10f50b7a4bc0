package io.lparchiver.bench;

import static io.lparchiver.bench.BenchSupport.benchJar;
import static io.lparchiver.bench.BenchSupport.describeRun;
import static io.lparchiver.bench.BenchSupport.freePort;
import static io.lparchiver.bench.BenchSupport.java;
import static io.lparchiver.bench.BenchSupport.lastLine;
import static io.lparchiver.bench.BenchSupport.lpArchiverJar;
import static io.lparchiver.bench.BenchSupport.measure;
import static io.lparchiver.bench.BenchSupport.options;
import static io.lparchiver.bench.BenchSupport.startSimulator;
import static io.lparchiver.bench.BenchSupport.syncCommand;
import static io.lparchiver.bench.BenchSupport.syncJvmFlags;
import static io.lparchiver.bench.BenchSupport.writeConfig;
import static io.lparchiver.bench.BenchSupport.writeResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** Zeros in the floor's column of a run without it ({@code --no-floor}). */
  private static final JsonNode MISSING_FLOOR =
      JSON.createObjectNode().put("wallSeconds", 0).put("cpuSeconds", 0).put("peakRssMb", 0);

  private static final Pattern LARGE_FILES = Pattern.compile("(\\d+) with a large file");

  private EndToEndBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    int conversations = Integer.parseInt(opt.getOrDefault("conversations", "20000"));
    String xmx = opt.getOrDefault("xmx", "512m");
    // --concurrency N: target.concurrency, the lanes (the product's default if absent)
    Optional<Integer> lanes = Optional.ofNullable(opt.get("concurrency")).map(Integer::parseInt);
    Path jar = lpArchiverJar(opt);
    Path benchJar = benchJar(opt);
    Path work = Files.createTempDirectory("lp-bench-");
    int port = freePort();
    Instant now = Instant.now();
    // --sim-jar: the simulator from another build, to compare two builds' syncs on the same data
    Path simulatorJar = Path.of(opt.getOrDefault("sim-jar", jar.toString())).toAbsolutePath();
    Process simulator =
        startSimulator(
            simulatorJar,
            work,
            port,
            conversations,
            opt.getOrDefault("seed", "7"),
            opt.getOrDefault("sim-xmx", "1g"),
            // issue 9's shape: about 5 % of conversations with a 100 KB-3 MB hosted file
            Integer.parseInt(opt.getOrDefault("large-file-percent", "13")));
    // --no-floor: a memory run, where the floor would double the time and add nothing
    boolean floorToo = !opt.containsKey("no-floor");
    try {
      String domainApi = "http://127.0.0.1:" + port;
      Path config =
          writeConfig(
              work.resolve("lp-archiver.yaml"),
              domainApi,
              now.minus(61, ChronoUnit.DAYS),
              "  type: maildir\n  maildir: {root: ./archive}"
                  + lanes.map(n -> "\n  concurrency: " + n).orElse(""),
              "./state",
              // --no-files: hosted files not downloaded (memory runs: 200,000 conversations of the
              // issue's shape would write about 48 GB)
              !opt.containsKey("no-files"));
      boolean warmUp = !opt.containsKey("no-warm-up");
      if (warmUp) {
        // The simulator stands in for LivePerson: its JIT warm-up is not lp-archiver's cost, and
        // the floor, run second, would otherwise meet a warm simulator while the sync met a cold
        // one that took a share of the two cores. One unmeasured pass over the pages first.
        measure(work, "warm-up", floorCommand(benchJar, domainApi, now, "-", "-"));
      }
      List<String> jvmFlags =
          new ArrayList<>(List.of("-Xlog:gc:file=" + work.resolve("gc-sync.log")));
      jvmFlags.addAll(syncJvmFlags(jar, opt));
      List<String> syncCommand = syncCommand(jar, config, xmx, jvmFlags);
      // a memory run asks the sync for a full GC every 15 s: the heap after it is what is held
      long liveEvery = Long.parseLong(opt.getOrDefault("live-heap-every", floorToo ? "0" : "15"));
      BenchSupport.Measured sync;
      int fullGcRequests = 0;
      if (liveEvery > 0) {
        try (LiveHeap sampler = LiveHeap.every(liveEvery, work.resolve("gc-sync.log").toString())) {
          sync = measure(work, "sync", syncCommand);
          fullGcRequests = sampler.requests();
        }
      } else {
        sync = measure(work, "sync", syncCommand);
      }
      JsonNode summary = JSON.readTree(lastLine(sync.stdout()));
      // the floor is fsync-bound and varied by a third between runs: measured more than once
      int floorRuns = Integer.parseInt(opt.getOrDefault("floor-runs", "2"));
      List<BenchSupport.Measured> floors = new ArrayList<>();
      for (int i = 1; floorToo && i <= floorRuns; i++) {
        Path floorDir = work.resolve("floor-" + i);
        floors.add(
            measure(
                work,
                "floor-" + i,
                floorCommand(
                    benchJar,
                    domainApi,
                    now,
                    work.resolve("archive").toString(),
                    floorDir.toString(),
                    "-Xmx" + xmx)));
        BenchSupport.deleteTree(floorDir); // the next run writes the same files afresh
      }
      Optional<List<BenchSupport.Measured>> floor =
          floors.isEmpty() ? Optional.empty() : Optional.of(floors);
      ObjectNode report =
          report(
              opt,
              conversations,
              xmx,
              summary,
              sync,
              floor,
              archiveBytes(work.resolve("archive")),
              LiveHeap.read(work.resolve("gc-sync.log")),
              fullGcRequests,
              conversationsWithLargeFile(work.resolve("simulator.log")));
      report.put("simulatorWarmedUp", warmUp);
      report.put("hostedFilesDownloaded", !opt.containsKey("no-files"));
      lanes.ifPresent(n -> report.put("targetConcurrency", n));
      print(report);
      writeResult(opt, "e2e", report);
      if (!opt.containsKey("keep-work")) {
        // the archive and the floor's files: about 10 GB at 20,000 conversations of this shape
        BenchSupport.deleteTree(work);
      }
    } finally {
      simulator.destroy();
      simulator.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** {@link Floor}'s command line; {@code -} for both directories fetches the pages only. */
  private static List<String> floorCommand(
      Path benchJar, String domainApi, Instant now, String archive, String out, String... jvm) {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(List.of(jvm));
    command.addAll(
        List.of(
            "-cp",
            benchJar.toString(),
            Floor.class.getName(),
            domainApi,
            "12345678",
            now.minus(61, ChronoUnit.DAYS).toString(),
            now.toString(),
            archive,
            out));
    return command;
  }

  private static ObjectNode report(
      Map<String, String> opt,
      int conversations,
      String xmx,
      JsonNode summary,
      BenchSupport.Measured sync,
      Optional<List<BenchSupport.Measured>> measuredFloor,
      long bytes,
      LiveHeap.Figures heap,
      int fullGcRequests,
      long withLargeFile)
      throws Exception {
    ObjectNode r = describeRun(JSON.createObjectNode(), opt);
    r.put("conversationsSeeded", conversations);
    r.put("conversationsWithLargeFile", withLargeFile);
    r.put("xmx", xmx);
    r.set("syncSummary", summary);
    ObjectNode lp = r.putObject("lpArchiver");
    lp.put("wallSeconds", sync.wallSeconds())
        .put("cpuSeconds", sync.cpuSeconds())
        .put("peakRssMb", sync.peakRssKb() / 1024)
        // with the simulator on the same cores: whether the machine had any to spare
        .put("machineCpuSeconds", sync.machineCpuSeconds())
        .put("machineBusy", sync.machineBusy())
        .put("stealSeconds", sync.stealSeconds());
    // the old figure, after any GC: counts garbage G1 has not marked yet (docs/benchmarks.md)
    lp.put("peakHeapAfterGcMb", heap.peakAfterAnyGcMb());
    if (fullGcRequests > 0) {
      lp.put("liveHeapSamples", heap.afterRequestedFullMb().size());
      lp.put("peakLiveHeapMb", heap.peakLiveMb());
      lp.put("medianLiveHeapMb", heap.medianLiveMb());
    }
    lp.put("conversationsPerSecond", summary.get("conversations").asDouble() / sync.wallSeconds());
    lp.put("emailsPerSecond", summary.get("emails").asDouble() / sync.wallSeconds());
    lp.put("copiesPerSecond", summary.get("deliveries").asDouble() / sync.wallSeconds());
    lp.put("megabytesPerSecond", bytes / 1e6 / sync.wallSeconds());
    r.put("archiveBytes", bytes);
    if (measuredFloor.isPresent()) {
      // the mean of the floor's runs; each run's figures are kept beside it
      List<BenchSupport.Measured> floors = measuredFloor.get();
      double wall =
          floors.stream().mapToDouble(BenchSupport.Measured::wallSeconds).average().orElseThrow();
      double cpu =
          floors.stream().mapToDouble(BenchSupport.Measured::cpuSeconds).average().orElseThrow();
      ObjectNode fl = r.putObject("floor");
      fl.put("wallSeconds", wall)
          .put("cpuSeconds", cpu)
          .put(
              "machineCpuSeconds",
              floors.stream()
                  .mapToDouble(BenchSupport.Measured::machineCpuSeconds)
                  .average()
                  .orElseThrow())
          .put(
              "peakRssMb",
              floors.stream().mapToLong(BenchSupport.Measured::peakRssKb).max().orElseThrow()
                  / 1024);
      var runs = fl.putArray("runs");
      floors.forEach(
          f ->
              runs.addObject()
                  .put("wallSeconds", f.wallSeconds())
                  .put("cpuSeconds", f.cpuSeconds())
                  .put("machineBusy", f.machineBusy())
                  .put("stealSeconds", f.stealSeconds()));
      r.put("ratioWall", sync.wallSeconds() / wall);
      r.put("ratioCpu", sync.cpuSeconds() / Math.max(0.01, cpu));
    }
    return r;
  }

  private static void print(ObjectNode r) {
    JsonNode lp = r.get("lpArchiver");
    JsonNode fl = r.has("floor") ? r.get("floor") : MISSING_FLOOR;
    System.out.printf(
        "%nseeded: %d conversations, %d of them with a 100 KB-3 MB hosted file%n",
        r.get("conversationsSeeded").asLong(), r.get("conversationsWithLargeFile").asLong());
    System.out.printf("%n%-28s %12s %12s%n", "", "lp-archiver", "floor");
    System.out.printf(
        "%-28s %12.1f %12.1f%n",
        "wall seconds", lp.get("wallSeconds").asDouble(), fl.get("wallSeconds").asDouble());
    System.out.printf(
        "%-28s %12.1f %12.1f%n",
        "CPU seconds", lp.get("cpuSeconds").asDouble(), fl.get("cpuSeconds").asDouble());
    System.out.printf(
        "%-28s %12.1f %12.1f%n",
        "machine CPU seconds",
        lp.get("machineCpuSeconds").asDouble(),
        fl.path("machineCpuSeconds").asDouble());
    System.out.printf(
        "%-28s %12.1f %12s%n",
        "steal seconds (hypervisor)",
        lp.get("stealSeconds").asDouble(),
        fl.path("runs").findValuesAsText("stealSeconds").stream()
            .map(v -> String.format("%.1f", Double.parseDouble(v)))
            .reduce((a, b) -> a + " " + b)
            .orElse("-"));
    System.out.printf(
        "%-28s %12d %12d%n",
        "peak RSS MB", lp.get("peakRssMb").asLong(), fl.get("peakRssMb").asLong());
    System.out.printf(
        "%-28s %12d%n", "peak heap after any GC MB", lp.get("peakHeapAfterGcMb").asLong());
    if (lp.has("peakLiveHeapMb")) {
      System.out.printf(
          "%-28s %12d (%d full GCs, median %d)%n",
          "peak live heap MB",
          lp.get("peakLiveHeapMb").asLong(),
          lp.get("liveHeapSamples").asLong(),
          lp.get("medianLiveHeapMb").asLong());
    }
    System.out.printf(
        "%-28s %12.1f%n", "conversations/s", lp.get("conversationsPerSecond").asDouble());
    System.out.printf("%-28s %12.1f%n", "emails/s", lp.get("emailsPerSecond").asDouble());
    System.out.printf("%-28s %12.1f%n", "copies/s", lp.get("copiesPerSecond").asDouble());
    System.out.printf("%-28s %12.2f%n", "MB/s", lp.get("megabytesPerSecond").asDouble());
    if (r.has("ratioWall")) {
      StringBuilder each = new StringBuilder();
      fl.get("runs")
          .forEach(run -> each.append(String.format(" %.1f", run.get("wallSeconds").asDouble())));
      System.out.printf("%-28s %12s%n", "floor runs, wall s", each.toString().strip());
      System.out.printf("%-28s %12.2f%n", "ratio lp-archiver/floor", r.get("ratioWall").asDouble());
    }
  }

  /** The simulator's count, from the line it prints when it is up (-1 when it printed none). */
  private static long conversationsWithLargeFile(Path simulatorLog) throws IOException {
    Matcher m = LARGE_FILES.matcher(Files.readString(simulatorLog));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static long archiveBytes(Path archive) throws IOException {
    try (Stream<Path> walk = Files.walk(archive)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getParent().getFileName().toString().equals("new"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }
}
