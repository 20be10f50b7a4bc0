package io.lparchiver.bench;

import static io.lparchiver.bench.BenchSupport.describeRun;
import static io.lparchiver.bench.BenchSupport.freePort;
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
import io.lparchiver.sim.graph.GraphCounters;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphTraffic;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Graph benchmark: lp-archiver {@code sync} into the Graph simulator (in this JVM, a fixed
 * latency per request and its limit of 4 requests in flight per mailbox) and the share of the
 * simulator's budget that it used. {@code bench/run graph}.
 *
 * <p>The budget is what the simulator allows for the work this data set asks for: each mailbox
 * takes at most limit / latency requests per second, so the run cannot end before its busiest
 * mailbox has had all its requests at that rate. The share used is that shortest possible time over
 * the time the requests took. With copies spread evenly it equals requests/s over mailboxes × limit
 * / latency (also reported, as "nominal"); with uneven data the nominal figure would count the idle
 * capacity of mailboxes the data gives little work, which no client can use.
 */
public final class GraphBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAILBOX_LIMIT = 4;
  private static final String FALLBACK = "compliance-archive@brand.example";

  private GraphBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    int conversations = Integer.parseInt(opt.getOrDefault("conversations", "20000"));
    Duration latency = Duration.ofMillis(Long.parseLong(opt.getOrDefault("latency-ms", "100")));
    String seed = opt.getOrDefault("seed", "7");
    Path jar = lpArchiverJar(opt);
    Path work = Files.createTempDirectory("lp-bench-graph-");
    int port = freePort();
    // the LivePerson simulator's agents depend on the seed and their count only, not on the
    // conversations: one Graph user per agent address (the mapping's default) and the fallback
    List<String> addresses = new ArrayList<>();
    SeededDataSet.generate(new DataSetSpec(0, 20, Long.parseLong(seed), Instant.now(), 1))
        .agents()
        .stream()
        .map(SimAgent::email)
        .distinct()
        .forEach(addresses::add);
    addresses.add(FALLBACK);
    // every user at its limit, each request held on a server thread for the latency, plus room
    // for the requests the limit turns away
    int concurrency =
        Integer.parseInt(
            opt.getOrDefault("concurrency", Integer.toString(addresses.size() * MAILBOX_LIMIT)));
    GraphSimulator.Builder tenant =
        GraphSimulator.builder()
            .faults(GraphFaults.none().withLatency(latency))
            .mailboxConcurrency(MAILBOX_LIMIT)
            .serverThreads(addresses.size() * MAILBOX_LIMIT + concurrency + 16);
    addresses.forEach(a -> tenant.user(GraphUser.of(a)));
    Process simulator = startSimulator(jar, work, port, conversations, seed);
    try (GraphSimulator graph = tenant.build().start()) {
      Path config =
          writeConfig(
              work.resolve("graph.yaml"),
              "http://127.0.0.1:" + port,
              Instant.now().minus(61, ChronoUnit.DAYS),
              String.join(
                  "\n",
                  "  type: graph",
                  "  concurrency: " + concurrency,
                  "  graph:",
                  "    tenantId: " + graph.tenantId(),
                  "    clientId: " + graph.clientId(),
                  // the simulator's fixed, non-secret demo secret
                  "    clientSecret: " + GraphSimulator.DEMO_CLIENT_SECRET,
                  "    authority: " + graph.authority(),
                  "    baseUrl: " + graph.baseUrl()),
              "./state");
      BenchSupport.Measured run =
          measure(work, "sync-graph", syncCommand(jar, config, "512m", syncJvmFlags(jar, opt)));
      JsonNode summary = JSON.readTree(lastLine(run.stdout()));
      GraphTraffic traffic = graph.traffic();
      GraphCounters counters = graph.counters();
      report(
          opt,
          conversations,
          latency,
          concurrency,
          addresses.size(),
          run,
          summary,
          traffic,
          counters,
          graph.users());
    } finally {
      simulator.destroy();
      simulator.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void report(
      Map<String, String> opt,
      int conversations,
      Duration latency,
      int concurrency,
      int users,
      BenchSupport.Measured run,
      JsonNode summary,
      GraphTraffic traffic,
      GraphCounters counters,
      List<GraphUser> tenant)
      throws Exception {
    int mailboxes = traffic.perMailbox().size();
    double latencySeconds = latency.toNanos() / 1e9;
    // what the simulator lets through at most: every used mailbox at its limit all the time
    double budget = mailboxes * MAILBOX_LIMIT / latencySeconds;
    long requests = traffic.requests();
    double window = traffic.window().toNanos() / 1e9;
    double perSecondWall = requests / run.wallSeconds();
    double perSecondWindow = window > 0 ? requests / window : 0;
    // The data decides how evenly the requests spread: the busiest mailbox at its limit all the
    // time is the shortest the sync could take, whatever the client does.
    Map.Entry<String, Long> busiestMailbox =
        traffic.perMailbox().entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .orElse(Map.entry("", 0L));
    long busiest = busiestMailbox.getValue();
    String busiestId = busiestMailbox.getKey();
    double shortest = busiest * latencySeconds / MAILBOX_LIMIT;
    // how long the simulator held the busiest mailbox's slots: the rest of its slots' time in the
    // window they stood empty, waiting for the client's next request
    double busiestHeld =
        traffic.heldPerMailbox().getOrDefault(busiestId, Duration.ZERO).toNanos() / 1e9;
    double busiestHeldMs = busiest > 0 ? 1000 * busiestHeld / busiest : 0;
    double busiestSlotsHeld = window > 0 ? busiestHeld / (MAILBOX_LIMIT * window) : 0;
    double budgetUsed = window > 0 ? shortest / window : 0;
    long copies = summary.get("deliveries").asLong();
    long deadLetters = summary.get("deadLetters").asLong();
    int refused429 = counters.throttled() + counters.concurrencyRejections();
    ObjectNode r = describeRun(JSON.createObjectNode(), opt);
    r.put("conversationsSeeded", conversations);
    r.put("latencyMs", latency.toMillis());
    r.put("mailboxLimit", MAILBOX_LIMIT);
    r.put("graphUsers", users);
    r.put("mailboxesUsed", mailboxes);
    r.put("targetConcurrency", concurrency);
    r.set("syncSummary", summary);
    r.put("syncWallSeconds", run.wallSeconds());
    r.put("syncCpuSeconds", run.cpuSeconds());
    r.put("syncPeakRssKb", run.peakRssKb());
    // the simulators share the cores: whether the machine had any to spare
    r.put("machineCpuSeconds", run.machineCpuSeconds());
    r.put("machineBusy", run.machineBusy());
    r.put("mailboxRequests", requests);
    r.put("requestWindowSeconds", window);
    r.put("budgetRequestsPerSecond", budget);
    r.put("requestsPerSecondOverSyncWall", perSecondWall);
    r.put("requestsPerSecondOverRequestWindow", perSecondWindow);
    r.put("budgetUsedOverSyncWall", perSecondWall / budget);
    r.put("budgetUsedOverRequestWindow", perSecondWindow / budget);
    r.put("busiestMailboxRequests", busiest);
    r.put("shortestPossibleSeconds", shortest);
    r.put("shortestPossibleOverRequestWindow", budgetUsed);
    r.put("budgetUsed", budgetUsed);
    r.put("busiestMailboxHeldMsPerRequest", busiestHeldMs);
    r.put("busiestMailboxSlotsHeldOverRequestWindow", busiestSlotsHeld);
    r.put("budgetUsedOverSyncWallForTheWork", shortest / run.wallSeconds());
    r.put("requestsPerCopy", copies > 0 ? (double) requests / copies : 0);
    r.put("deadLetters", deadLetters);
    r.put("answered429", refused429);
    r.put("concurrencyRejections", counters.concurrencyRejections());
    ObjectNode per = r.putObject("requestsPerMailbox");
    tenant.stream()
        .filter(u -> traffic.perMailbox().containsKey(u.id()))
        .forEach(u -> per.put(u.mail(), traffic.perMailbox().get(u.id())));
    System.out.printf(
        "%nGraph: %d copies, %d mailbox requests into %d mailboxes, latency %d ms, limit %d,"
            + " target.concurrency %d%n",
        summary.get("deliveries").asLong(),
        requests,
        mailboxes,
        latency.toMillis(),
        MAILBOX_LIMIT,
        concurrency);
    System.out.printf("%n%-40s %10s %10s%n", "", "sync wall", "req window");
    System.out.printf("%-40s %10.1f %10.1f%n", "seconds", run.wallSeconds(), window);
    System.out.printf("%-40s %10.1f %10.1f%n", "requests/s", perSecondWall, perSecondWindow);
    System.out.printf(
        "%-40s %10.1f %10.1f%n", "nominal budget (mailboxes x limit / latency)", budget, budget);
    System.out.printf(
        "%-40s %9.0f%% %9.0f%%%n",
        "nominal budget used", 100 * perSecondWall / budget, 100 * perSecondWindow / budget);
    System.out.printf(
        "%-40s %10.1f %10.1f%n", "shortest possible (busiest mailbox), s", shortest, shortest);
    System.out.printf(
        "%-40s %9.0f%% %9.0f%%%n",
        "BUDGET USED (shortest possible / time)",
        100 * shortest / run.wallSeconds(),
        100 * budgetUsed);
    System.out.printf("%-40s %10.1f%n", "busiest mailbox: ms held per request", busiestHeldMs);
    System.out.printf(
        "%-40s %10s %9.0f%%%n", "busiest mailbox: its slots held", "", 100 * busiestSlotsHeld);
    System.out.printf("%-40s %10.2f%n", "mailbox requests per copy", (double) requests / copies);
    System.out.printf("%-40s %10d%n", "dead letters (sync --json)", deadLetters);
    System.out.printf("%-40s %10d%n", "429s answered (simulator)", refused429);
    System.out.printf("%-40s %10.1f%n", "sync CPU seconds", run.cpuSeconds());
    System.out.printf(
        "%-40s %10.1f (%.0f%% busy)%n",
        "machine CPU seconds", run.machineCpuSeconds(), 100 * run.machineBusy());
    writeResult(opt, "graph", r);
  }
}
