package io.lparchiver.bench;

import static io.lparchiver.bench.BenchSupport.benchJar;
import static io.lparchiver.bench.BenchSupport.describeRun;
import static io.lparchiver.bench.BenchSupport.freePort;
import static io.lparchiver.bench.BenchSupport.java;
import static io.lparchiver.bench.BenchSupport.lastLine;
import static io.lparchiver.bench.BenchSupport.lpArchiverJar;
import static io.lparchiver.bench.BenchSupport.measure;
import static io.lparchiver.bench.BenchSupport.options;
import static io.lparchiver.bench.BenchSupport.productJvmOptions;
import static io.lparchiver.bench.BenchSupport.startSimulator;
import static io.lparchiver.bench.BenchSupport.syncCommand;
import static io.lparchiver.bench.BenchSupport.syncJvmFlags;
import static io.lparchiver.bench.BenchSupport.writeConfig;
import static io.lparchiver.bench.BenchSupport.writeResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.config.ConfigKeys;
import io.lparchiver.testing.Dovecot;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The IMAP benchmark: lp-archiver {@code sync} into Dovecot (the test suite's, on loopback, one
 * login per mailbox through a master user) against {@link ImapFloor} APPENDing the same rendered
 * messages over one connection per mailbox; reports both rates and their ratio. {@code bench/run
 * imap}.
 */
public final class ImapBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MASTER = "archiver";
  private static final String PASSWORD = "bench-master-password";

  private ImapBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    int conversations = Integer.parseInt(opt.getOrDefault("conversations", "20000"));
    // as many conversations at once as the floor has connections (one per mailbox)
    String concurrency = opt.getOrDefault("concurrency", "20");
    // target.imap.connectionsPerMailbox, at its default; the floor keeps one
    String perMailbox = opt.getOrDefault("connections-per-mailbox", "2");
    Path jar = lpArchiverJar(opt);
    Path benchJar = benchJar(opt);
    Path work = Files.createTempDirectory("lp-bench-imap-");
    // Dovecot's mail processes run as another user and must reach the mail folder in here
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    int port = freePort();
    Instant backfillFrom = Instant.now().minus(61, ChronoUnit.DAYS);
    Process simulator =
        startSimulator(jar, work, port, conversations, opt.getOrDefault("seed", "7"));
    try {
      String domainApi = "http://127.0.0.1:" + port;
      // 1. the rendered messages and the mailboxes, from a sync into a Maildir (not measured)
      Path maildirConfig =
          writeConfig(
              work.resolve("maildir.yaml"),
              domainApi,
              backfillFrom,
              "  type: maildir\n  maildir: {root: ./archive}",
              "./state-maildir");
      BenchSupport.Measured maildir =
          measure(
              work,
              "sync-maildir",
              syncCommand(jar, maildirConfig, "512m", productJvmOptions(jar, opt)));
      List<String> mailboxes = mailboxes(work.resolve("archive"));
      Dovecot.Builder builder = Dovecot.builder(work.resolve("dovecot")).master(MASTER, PASSWORD);
      mailboxes.forEach(m -> builder.user(m, "unused-" + m.hashCode()));
      try (Dovecot dovecot = builder.start()) {
        // 2. lp-archiver into Dovecot
        Path imapConfig =
            writeConfig(
                work.resolve("imap.yaml"),
                domainApi,
                backfillFrom,
                String.join(
                    "\n",
                    "  type: imap",
                    "  concurrency: " + concurrency,
                    "  imap:",
                    "    host: 127.0.0.1",
                    "    port: " + dovecot.port(),
                    "    security: none",
                    "    allowInsecure: true",
                    "    username: " + MASTER,
                    "    password: " + PASSWORD,
                    "    connectionsPerMailbox: " + perMailbox),
                // target.imap.maxIdleConnections is left at its default, which keeps a connection
                // per mailbox in rotation open as the floor keeps its own
                "./state-imap");
        // --sync-jvm and --profile for the IMAP sync alone
        List<String> imapSync =
            new ArrayList<>(syncCommand(jar, imapConfig, "512m", syncJvmFlags(jar, opt)));
        if (opt.containsKey("sync-nice")) {
          // a diagnosis: Dovecot shares this machine's cores with the sync, a remote server would
          // not; a lower priority for the sync shows how much that sharing costs
          imapSync.addAll(0, List.of("nice", "-n", opt.get("sync-nice")));
        }
        BenchSupport.Measured sync = measure(work, "sync-imap", imapSync);
        JsonNode summary = JSON.readTree(lastLine(sync.stdout()));
        // 3. lp-archiver's delivery stage alone (no fetch, parse or render), into an emptied
        // Dovecot, with the same target settings and a fresh ledger
        dovecot.wipeMail();
        List<String> stageCommand = new ArrayList<>(List.of(java(), "-Xmx512m"));
        stageCommand.addAll(productJvmOptions(jar, opt)); // lp-archiver's code, its JVM options
        stageCommand.addAll(
            List.of(
                "-cp",
                benchJar.toString(),
                ImapDeliveryStage.class.getName(),
                imapConfig.toString(),
                work.resolve("archive").toString(),
                work.resolve("state-delivery-stage").toString()));
        BenchSupport.Measured stage = measure(work, "imap-delivery-stage", stageCommand);
        // 4. the floor, into an emptied Dovecot
        dovecot.wipeMail();
        BenchSupport.Measured floor =
            measure(
                work,
                "imap-floor",
                List.of(
                    java(),
                    "-cp",
                    benchJar.toString(),
                    ImapFloor.class.getName(),
                    Integer.toString(dovecot.port()),
                    MASTER,
                    PASSWORD,
                    work.resolve("archive").toString(),
                    ConfigKeys.DEFAULT_FOLDER));
        ObjectNode report = describeRun(JSON.createObjectNode(), opt);
        long copies = summary.get("deliveries").asLong();
        report.put("conversationsSeeded", conversations);
        report.put("mailboxes", mailboxes.size());
        report.put("copies", copies);
        report.put("targetConcurrency", Integer.parseInt(concurrency));
        report.put("connectionsPerMailbox", Integer.parseInt(perMailbox));
        report.put("syncIntoMaildirWallSeconds", maildir.wallSeconds());
        report.set("syncSummary", summary);
        report.put("lpArchiverWallSeconds", sync.wallSeconds());
        report.put("lpArchiverCpuSeconds", sync.cpuSeconds());
        report.put("floorWallSeconds", floor.wallSeconds());
        report.put("floorCpuSeconds", floor.cpuSeconds());
        report.put("lpArchiverAppendsPerSecond", copies / sync.wallSeconds());
        report.put("floorAppendsPerSecond", copies / floor.wallSeconds());
        report.put("rateRatio", floor.wallSeconds() / sync.wallSeconds());
        // the stage's own timing: from its first copy to its last, after reading the archive
        JsonNode stageTiming = JSON.readTree(lastLine(stage.stdout()));
        double stageSeconds = stageTiming.get("seconds").asDouble();
        report.put("deliveryStageSeconds", stageSeconds);
        report.put("deliveryStageCpuSeconds", stageTiming.get("cpuSeconds").asDouble());
        report.put("deliveryStageProcessWallSeconds", stage.wallSeconds());
        report.put("deliveryStageRateRatio", floor.wallSeconds() / stageSeconds);
        // Dovecot and the simulator share the cores: how busy the machine was in each phase
        report.put("syncIntoMaildirMachineCpuSeconds", maildir.machineCpuSeconds());
        report.put("lpArchiverMachineCpuSeconds", sync.machineCpuSeconds());
        report.put("floorMachineCpuSeconds", floor.machineCpuSeconds());
        report.put("deliveryStageMachineCpuSeconds", stage.machineCpuSeconds());
        System.out.printf(
            "%nIMAP into Dovecot: %d copies into %d mailboxes%n", copies, mailboxes.size());
        System.out.printf("%n%-28s %12s %12s%n", "", "lp-archiver", "floor");
        System.out.printf(
            "%-28s %12.1f %12.1f%n", "wall seconds", sync.wallSeconds(), floor.wallSeconds());
        System.out.printf(
            "%-28s %12.1f %12.1f%n",
            "appends/s", copies / sync.wallSeconds(), copies / floor.wallSeconds());
        System.out.printf(
            "%-28s %12.2f%n", "rate lp-archiver/floor", floor.wallSeconds() / sync.wallSeconds());
        System.out.printf(
            "%-28s %12.1f %12.1f%n",
            "machine CPU seconds", sync.machineCpuSeconds(), floor.machineCpuSeconds());
        System.out.printf(
            "%-28s %11.0f%% %11.0f%%%n",
            "machine busy", 100 * sync.machineBusy(), 100 * floor.machineBusy());
        System.out.printf("%-28s %12.1f%n", "(same sync into Maildir, s)", maildir.wallSeconds());
        System.out.printf(
            "%-28s %12.1f   (rate/floor %.2f: no fetch, parse or render)%n",
            "delivery stage alone, s", stageSeconds, floor.wallSeconds() / stageSeconds);
        System.out.printf(
            "%-28s %12.1f   (machine busy %.0f%%)%n",
            "delivery stage, machine CPU s", stage.machineCpuSeconds(), 100 * stage.machineBusy());
        writeResult(opt, "imap", report);
      }
      if (!opt.containsKey("keep-work")) {
        // the Maildir archive and Dovecot's copies of it: about 2.4 GB at 20,000 conversations
        BenchSupport.deleteTree(work);
      }
    } finally {
      simulator.destroy();
      simulator.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> mailboxes(Path archive) throws Exception {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(archive)) {
      dirs.forEach(d -> names.add(d.getFileName().toString()));
    }
    return names;
  }
}
