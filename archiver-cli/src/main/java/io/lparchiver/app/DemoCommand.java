package io.lparchiver.app;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigLoader;
import io.lparchiver.pipeline.SyncJob;
import io.lparchiver.pipeline.SyncReport;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.graph.MailboxView;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimAgent;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole pipeline on embedded defaults. Starts the LivePerson simulator, writes a
 * config like a user would, runs {@code sync} with it into a local Maildir and prints what landed.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Archives a simulated LivePerson account into a local Maildir and prints what it archived.")
final class DemoCommand implements Callable<Integer> {

  static final String MARKER = "# lp-archiver demo configuration";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dir",
      defaultValue = "lp-archiver-demo",
      description = "Demo folder (replaced on every demo run). Default: ${DEFAULT-VALUE}.")
  Path dir;

  @Mixin SimulatorOptions simulator;

  @Option(
      names = "--target",
      defaultValue = "maildir",
      description =
          "maildir (a local Maildir) or graph (a simulated Microsoft 365 tenant, through the Graph"
              + " simulator). Default: ${DEFAULT-VALUE}.")
  String target;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Clock clock = Clock.systemUTC();
    Path demoDir = dir.toAbsolutePath().normalize();
    prepare(demoDir);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data = SeededDataSet.generate(simulator.dataSet(now));
    SimulatorCredentials creds = SimulatorCredentials.demo();
    try (LivePersonSimulator sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(creds)
            .dataSet(data)
            .faults(simulator.simulatorFaults())
            .clock(clock)
            .build()
            .start()) {
      out.printf(
          "LivePerson simulator on %s: account %s, %d conversations (%d closed), %d chats,"
              + " %d agents%n",
          sim.domainApiUri(),
          sim.account(),
          data.conversations().size(),
          data.closedConversationIds().size(),
          data.chatIds().size(),
          data.agents().size());
      if ("graph".equals(target)) {
        return runWithGraph(out, clock, demoDir, sim, creds, data, now);
      }
      Path config = writeDemoFiles(demoDir, sim, creds, data, now.minus(61, ChronoUnit.DAYS));
      out.println("Config written to " + config);
      out.flush();
      ArchiverConfig cfg = ConfigLoader.fromSystem().load(config);
      try (Archiver archiver = Archiver.open(cfg, clock, true)) {
        SyncReport report =
            archiver
                .syncJob()
                .run(new SyncJob.Options(Optional.empty(), false), SyncJob.Progress.none());
        Reports.printSummary(out, report, false, archiver.describeTarget());
        printWhereToLook(out, cfg, config);
        return report.exitCode();
      }
    }
  }

  /** The same run into a simulated Microsoft 365 tenant whose users are the agents' addresses. */
  private int runWithGraph(
      PrintWriter out,
      Clock clock,
      Path demoDir,
      LivePersonSimulator sim,
      SimulatorCredentials creds,
      SeededDataSet data,
      Instant now)
      throws Exception {
    GraphSimulator.Builder tenant =
        GraphSimulator.builder()
            .faults(simulator.faults ? GraphFaults.standard() : GraphFaults.none())
            .user(GraphUser.of("bot-transcripts@brand.example"))
            .user(GraphUser.of("compliance-archive@brand.example"));
    data.agents().stream()
        .map(SimAgent::email)
        .distinct()
        .forEach(email -> tenant.user(GraphUser.of(email)));
    try (GraphSimulator graph = tenant.build().start()) {
      out.printf(
          "Graph simulator on %s: tenant %s, %d users%n",
          graph.baseUrl(), graph.tenantId(), graph.users().size());
      Path config = writeDemoFiles(demoDir, sim, creds, data, now.minus(61, ChronoUnit.DAYS));
      // The simulator's fixed, non-secret demo client secret.
      Files.writeString(
          config,
          Files.readString(config).replace("target:\n  type: maildir\n", graphTarget(graph)),
          StandardCharsets.UTF_8);
      out.println("Config written to " + config);
      out.flush();
      ArchiverConfig cfg = ConfigLoader.fromSystem().load(config);
      try (Archiver archiver = Archiver.open(cfg, clock, true)) {
        SyncReport report =
            archiver
                .syncJob()
                .run(new SyncJob.Options(Optional.empty(), false), SyncJob.Progress.none());
        Reports.printSummary(out, report, false, archiver.describeTarget());
        out.println();
        out.println(
            "Items per mailbox in Inbox/" + cfg.target().folder() + " (read from the simulator):");
        for (GraphUser user : graph.users()) {
          MailboxView view = graph.mailbox(user.mail()).orElseThrow();
          int items = view.messagesInInboxChild(cfg.target().folder()).size();
          if (items > 0) {
            out.printf("  %-40s %5d%n", user.mail(), items);
          }
        }
        out.printf("Graph faults injected: %s%n", graph.counters());
        out.flush();
        return report.exitCode();
      }
    }
  }

  private static String graphTarget(GraphSimulator graph) {
    return "target:\n"
        + "  type: graph\n"
        + "  graph:\n"
        + "    tenantId: "
        + graph.tenantId()
        + "\n"
        + "    clientId: "
        + graph.clientId()
        + "\n"
        + "    clientSecret: "
        + GraphSimulator.DEMO_CLIENT_SECRET
        + "\n"
        + "    authority: "
        + graph.authority()
        + "\n"
        + "    baseUrl: "
        + graph.baseUrl()
        + "\n";
  }

  private static void printWhereToLook(PrintWriter out, ArchiverConfig cfg, Path config)
      throws IOException {
    Path root = cfg.target().maildir().root();
    out.println();
    out.println("Where to look:");
    out.println("  Maildirs:     " + root + "/<mailbox>/.INBOX." + cfg.target().folder() + "/new/");
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(Files::isRegularFile)
          .filter(p -> p.getParent().getFileName().toString().equals("new"))
          .min(Comparator.naturalOrder())
          .ifPresent(p -> out.println("  One email:    " + p));
    }
    out.println(
        "  Ledger:       java -jar archiver-cli/target/lp-archiver.jar status --config " + config);
    out.println(
        "  Run it again: java -jar archiver-cli/target/lp-archiver.jar demo   (replaces "
            + config.getParent()
            + ")");
    out.flush();
  }

  private static void prepare(Path demoDir) throws IOException {
    if (Files.exists(demoDir)) {
      Path config = demoDir.resolve("lp-archiver.yaml");
      boolean isDemo = Files.isRegularFile(config) && Files.readString(config).startsWith(MARKER);
      try (Stream<Path> entries = Files.list(demoDir)) {
        if (!isDemo && entries.findAny().isPresent()) {
          throw new io.lparchiver.config.ConfigException(
              demoDir
                  + " exists and is not an lp-archiver demo folder; pass --dir with a new or empty folder");
        }
      }
      try (Stream<Path> walk = Files.walk(demoDir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(demoDir);
  }

  private static Path writeDemoFiles(
      Path demoDir,
      LivePersonSimulator sim,
      SimulatorCredentials creds,
      SeededDataSet data,
      Instant backfillFrom)
      throws IOException {
    StringBuilder csv =
        new StringBuilder(
            "participant,mailbox\n# bots' conversations go to one transcript mailbox\n");
    data.agents().stream()
        .filter(SimAgent::isBot)
        .forEach(bot -> csv.append(bot.id()).append(",bot-transcripts@brand.example\n"));
    Files.writeString(demoDir.resolve("mapping.csv"), csv, StandardCharsets.UTF_8);
    Path config = demoDir.resolve("lp-archiver.yaml");
    Files.writeString(
        config,
        configYaml(sim, creds, "./archive", "./state", "mapping.csv", backfillFrom),
        StandardCharsets.UTF_8);
    return config;
  }

  /** A config for the simulator; the demo credentials are fixed, non-secret values. */
  static String configYaml(
      LivePersonSimulator sim,
      SimulatorCredentials creds,
      String root,
      String state,
      String csv,
      Instant backfillFrom) {
    return MARKER
        + " (the simulator's fixed, non-secret demo key)\n"
        + "source:\n"
        + "  liveperson:\n"
        + "    account: \""
        + sim.account()
        + "\"\n"
        + "    domainApi: "
        + sim.domainApiUri()
        + "\n"
        + "    auth:\n"
        + "      type: oauth1\n"
        + "      consumerKey: "
        + creds.consumerKey()
        + "\n"
        + "      consumerSecret: "
        + creds.consumerSecret()
        + "\n"
        + "      token: "
        + creds.token()
        + "\n"
        + "      tokenSecret: "
        + creds.tokenSecret()
        + "\n"
        + "    allowedHosts: [127.0.0.1]   # the simulator; a real account needs only liveperson.net\n"
        + "    channels: [messaging, chat]\n"
        + "    files:\n"
        + "      enabled: true\n"
        + "      login:\n"
        + "        username: "
        + sim.agentLogin().username()
        + "\n"
        + "        password: "
        + sim.agentLogin().password()
        + "\n"
        + "    backfillFrom: "
        + backfillFrom
        + "\n"
        + "mapping:\n"
        + (csv.isEmpty() ? "" : "  csv: " + csv + "\n")
        + "  fallbackMailbox: compliance-archive@brand.example\n"
        + "target:\n"
        + "  type: maildir\n"
        + "  maildir:\n"
        + "    root: "
        + root
        + "\n"
        + "state:\n"
        + "  dir: "
        + state
        + "\n";
  }
}
