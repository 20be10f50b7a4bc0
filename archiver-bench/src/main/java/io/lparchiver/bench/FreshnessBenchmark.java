package io.lparchiver.bench;

import static io.lparchiver.bench.BenchSupport.describeRun;
import static io.lparchiver.bench.BenchSupport.freePort;
import static io.lparchiver.bench.BenchSupport.java;
import static io.lparchiver.bench.BenchSupport.lpArchiverJar;
import static io.lparchiver.bench.BenchSupport.options;
import static io.lparchiver.bench.BenchSupport.productJvmOptions;
import static io.lparchiver.bench.BenchSupport.writeConfig;
import static io.lparchiver.bench.BenchSupport.writeResult;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.Channel;
import io.lparchiver.model.MessageKey;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.state.ConversationVersion;
import io.lparchiver.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Freshness: {@code run} with a one-minute interval against the LivePerson simulator, which closes
 * open conversations at random moments; measures from each close to the ledger row of its copy
 * (written once the copy is durable in the mailbox) and reports p50/p95. {@code bench/run
 * freshness}.
 */
public final class FreshnessBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FreshnessBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    int closes = Integer.parseInt(opt.getOrDefault("closes", "100"));
    Duration spread = Duration.ofSeconds(Long.parseLong(opt.getOrDefault("spread-seconds", "300")));
    Path jar = lpArchiverJar(opt);
    Path work = Files.createTempDirectory("lp-bench-freshness-");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data =
        SeededDataSet.generate(new DataSetSpec(Math.max(2_000, closes * 15), 20, 7, now, 30));
    List<String> open = new ArrayList<>(data.openConversationIds());
    if (open.size() < closes) {
      throw new IllegalStateException(
          "the data set has " + open.size() + " open conversations; asked to close " + closes);
    }
    Collections.shuffle(open, new Random(7));
    try (LivePersonSimulator sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .faults(Faults.none())
            .build()
            .start()) {
      Path config =
          writeConfig(
              work.resolve("lp-archiver.yaml"),
              sim.domainApiUri().toString(),
              now.minus(31, ChronoUnit.DAYS),
              "  type: maildir\n  maildir: {root: ./archive}",
              "./state");
      Files.writeString(
          config,
          "schedule: {interval: 1m}\nserver: {bind: \"127.0.0.1:" + freePort() + "\"}\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      List<String> run = new ArrayList<>(List.of(java(), "-Xmx512m"));
      run.addAll(productJvmOptions(jar, opt));
      run.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
      Process service =
          new ProcessBuilder(run)
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("run.log").toFile())
              .start();
      try {
        awaitFirstRun(work.resolve("state"), service);
        List<String> closing = open.subList(0, closes);
        Map<String, Integer> archivedOpen =
            versionsArchived(work.resolve("state"), data.account(), closing);
        Map<String, Instant> closedAt = closeAtRandomMoments(data, closing, spread);
        Map<String, Duration> latency =
            awaitArchived(work.resolve("state"), data.account(), closedAt, archivedOpen, service);
        ObjectNode report = describeRun(JSON.createObjectNode(), opt);
        List<Long> millis = latency.values().stream().map(Duration::toMillis).sorted().toList();
        report.put("interval", "1m");
        report.put("closes", closes);
        report.put("spreadSeconds", spread.toSeconds());
        report.put("archived", millis.size());
        // open for longer than archive.openSnapshotAfter: archived open before they closed
        report.put("archivedWhileOpen", archivedOpen.values().stream().filter(v -> v > 0).count());
        report.put("p50Seconds", percentile(millis, 50) / 1000.0);
        report.put("p95Seconds", percentile(millis, 95) / 1000.0);
        report.put("maxSeconds", millis.isEmpty() ? 0 : millis.get(millis.size() - 1) / 1000.0);
        System.out.printf(
            "%nfreshness, run every 1m: %d of %d closed conversations archived; close -> in the"
                + " mailbox p50 %.1f s, p95 %.1f s, max %.1f s%n",
            millis.size(),
            closes,
            report.get("p50Seconds").asDouble(),
            report.get("p95Seconds").asDouble(),
            report.get("maxSeconds").asDouble());
        writeResult(opt, "freshness", report);
      } finally {
        service.destroy(); // SIGTERM: the service finishes its run and stops
        if (!service.waitFor(60, TimeUnit.SECONDS)) {
          service.destroyForcibly();
        }
      }
    }
  }

  private static void awaitFirstRun(Path stateDir, Process service) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (Instant.now().isBefore(deadline)) {
      requireAlive(service);
      if (Files.exists(stateDir.resolve("lp-archiver.db"))) {
        try (StateStore state = StateStore.openReadOnly(stateDir, Clock.systemUTC())) {
          if (state.lastRun().flatMap(r -> r.finished()).isPresent()) {
            return;
          }
        }
      }
      Thread.sleep(1_000);
    }
    throw new IllegalStateException("the first run did not finish within 10 minutes");
  }

  /**
   * The version of each conversation archived so far: an interim version of one that has been open
   * for longer than {@code archive.openSnapshotAfter}, else 0. Its close makes the next version.
   */
  private static Map<String, Integer> versionsArchived(
      Path stateDir, String account, List<String> ids) throws Exception {
    Map<String, Integer> versions = new LinkedHashMap<>();
    try (StateStore state = StateStore.openReadOnly(stateDir, Clock.systemUTC())) {
      for (String id : ids) {
        versions.put(
            id,
            state
                .latestVersion(account, Channel.MESSAGING, id)
                .map(ConversationVersion::version)
                .orElse(0));
      }
    }
    return versions;
  }

  /** Closes each conversation at a random moment of the spread, as LivePerson would. */
  private static Map<String, Instant> closeAtRandomMoments(
      SeededDataSet data, List<String> ids, Duration spread) throws InterruptedException {
    Random random = new Random(11);
    List<Long> offsets = new ArrayList<>();
    ids.forEach(id -> offsets.add((long) (random.nextDouble() * spread.toMillis())));
    Collections.sort(offsets);
    Map<String, Instant> closedAt = new LinkedHashMap<>();
    long start = System.currentTimeMillis();
    for (int i = 0; i < ids.size(); i++) {
      long wait = start + offsets.get(i) - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      Instant at = Instant.now();
      data.closeConversation(ids.get(i), at);
      closedAt.put(ids.get(i), at);
    }
    return closedAt;
  }

  private static Map<String, Duration> awaitArchived(
      Path stateDir,
      String account,
      Map<String, Instant> closedAt,
      Map<String, Integer> archivedOpen,
      Process service)
      throws Exception {
    Map<String, Duration> latency = new LinkedHashMap<>();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (latency.size() < closedAt.size() && Instant.now().isBefore(deadline)) {
      requireAlive(service);
      try (StateStore state = StateStore.openReadOnly(stateDir, Clock.systemUTC())) {
        for (Map.Entry<String, Instant> e : closedAt.entrySet()) {
          if (!latency.containsKey(e.getKey())) {
            // the version its close made, not an interim one archived while it was open
            int closedVersion = archivedOpen.get(e.getKey()) + 1;
            MessageKey key = new MessageKey(account, Channel.MESSAGING, e.getKey(), closedVersion);
            Optional<Instant> delivered =
                state.deliveries(key).stream().map(d -> d.at()).min(Instant::compareTo);
            if (delivered.isPresent() && delivered.get().isBefore(e.getValue())) {
              throw new IllegalStateException(
                  key.messageId()
                      + " was archived before its conversation closed: this benchmark"
                      + " is looking at the wrong version");
            }
            delivered.ifPresent(at -> latency.put(e.getKey(), Duration.between(e.getValue(), at)));
          }
        }
      }
      Thread.sleep(1_000);
    }
    return latency;
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(rank, sorted.size() - 1)));
  }

  private static void requireAlive(Process service) {
    if (!service.isAlive()) {
      throw new IllegalStateException("`run` exited (" + service.exitValue() + "); see run.log");
    }
  }
}
