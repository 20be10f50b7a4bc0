package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the fault tests share: running the CLI in-process, reading what landed in the Maildir and
 * the ledger, and small filesystems (tmpfs) that can be filled or made read-only.
 */
final class FaultRuns {

  static final String FOLDER = ".INBOX.LivePerson Conversational Cloud DataParser";

  private FaultRuns() {}

  /**
   * A simulator without faults over {@code data}, and a config that archives its last 31 days into
   * {@code dir/archive} with the state in {@code dir/state}, retrying LivePerson twice.
   */
  record Setup(LivePersonSimulator sim, Path archive, Path state, Path config)
      implements AutoCloseable {

    static Setup start(Path dir, SeededDataSet data, Instant now) throws IOException {
      LivePersonSimulator sim =
          LivePersonSimulator.builder()
              .port(0)
              .credentials(SimulatorCredentials.demo())
              .dataSet(data)
              .faults(Faults.none())
              .build()
              .start();
      Setup setup =
          new Setup(
              sim, dir.resolve("archive"), dir.resolve("state"), dir.resolve("lp-archiver.yaml"));
      Files.writeString(
          setup.config(),
          FaultRuns.config(
              sim,
              setup.archive(),
              setup.state(),
              now.minus(31, java.time.temporal.ChronoUnit.DAYS),
              "      maxAttempts: 2\n      initialBackoff: 10ms\n"));
      return setup;
    }

    @Override
    public void close() {
      sim.close();
    }
  }

  record Result(int exit, String out, String err) {
    String both() {
      return out + err;
    }
  }

  /** {@code sync} through the CLI entry point, as a user runs it. */
  static Result sync(Path config, String... extra) {
    List<String> args = new ArrayList<>(List.of("sync", "--config", config.toString()));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Result(exit, out.toString(), err.toString());
  }

  /**
   * A config for {@code sim} with the Maildir and the state at the given absolute paths, hosted
   * files and interim versions off (other tests cover them; here they only cost time) and the retry
   * settings given (YAML lines under {@code retry:}, indented six spaces).
   */
  static String config(
      LivePersonSimulator sim, Path archive, Path state, Instant backfillFrom, String retry) {
    return DemoCommand.configYaml(
                sim,
                SimulatorCredentials.demo(),
                archive.toString(),
                state.toString(),
                "",
                backfillFrom)
            .replace(
                "    channels: [messaging, chat]\n",
                "    channels: [messaging, chat]\n    retry:\n" + retry)
            .replace("    files:\n      enabled: true\n", "    files:\n      enabled: false\n")
        + "archive:\n  openSnapshotAfter: 0s\n";
  }

  /**
   * Every message file under {@code new/} or {@code cur/} of the archive folder: (mailbox,
   * Message-ID) → the SHA-256 of each file carrying it. A file that does not parse fails the test:
   * only whole messages may ever appear there.
   */
  static Map<String, List<String>> copiesOnTarget(Path root) throws Exception {
    Map<String, List<String>> copies = new TreeMap<>();
    if (!Files.exists(root)) {
      return copies;
    }
    Session session = Session.getInstance(new Properties());
    // only new/ and cur/, listed directly: a walk would also meet tmp/, whose files a running
    // sync renames away between the listing and their attributes (NoSuchFileException)
    List<Path> files = new ArrayList<>();
    List<Path> mailboxes;
    try (Stream<Path> list = Files.list(root)) {
      mailboxes = list.filter(Files::isDirectory).toList();
    }
    for (Path mailbox : mailboxes) {
      for (String sub : List.of("new", "cur")) {
        Path dir = mailbox.resolve(FOLDER).resolve(sub);
        if (Files.isDirectory(dir)) {
          try (Stream<Path> list = Files.list(dir)) {
            files.addAll(list.filter(Files::isRegularFile).toList());
          }
        }
      }
    }
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      String id = new MimeMessage(session, new ByteArrayInputStream(bytes)).getMessageID();
      assertThat(id).as("a whole message in %s", f).isNotNull();
      String mailbox = root.relativize(f).getName(0).toString();
      copies.computeIfAbsent(mailbox + " " + id, k -> new ArrayList<>()).add(sha256(bytes));
    }
    return copies;
  }

  /** Ledger rows: (mailbox, Message-ID) → recorded SHA-256 of the copy. */
  static Map<String, String> ledger(Path stateDir) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    try (Connection db = open(stateDir);
        ResultSet rs =
            db.createStatement()
                .executeQuery("SELECT mailbox, message_id, email_sha256 FROM deliveries")) {
      while (rs.next()) {
        rows.put(rs.getString(1) + " " + rs.getString(2), rs.getString(3));
      }
    }
    return rows;
  }

  static String query(Path stateDir, String sql) throws Exception {
    try (Connection db = open(stateDir);
        ResultSet rs = db.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection open(Path stateDir) throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve("lp-archiver.db"));
  }

  /**
   * The end state every fault test asserts once the fault is gone and a run completed: each closed
   * conversation exactly once in the Maildir, every file whole and matching its ledger row, the
   * ledger listing exactly the files, and SQLite intact.
   */
  static void assertArchivedExactlyOnce(Path archive, Path state, int closedConversations)
      throws Exception {
    Map<String, List<String>> copies = copiesOnTarget(archive);
    assertThat(conversations(copies))
        .as("every closed conversation archived")
        .isEqualTo(closedConversations);
    copies.forEach((key, hashes) -> assertThat(hashes).as("copies of %s", key).hasSize(1));
    Map<String, String> onDisk = new TreeMap<>();
    copies.forEach((key, hashes) -> onDisk.put(key, hashes.get(0)));
    assertThat(ledger(state))
        .as("the ledger lists exactly the files, bytes as written")
        .isEqualTo(onDisk);
    assertThat(query(state, "PRAGMA integrity_check")).isEqualTo("ok");
  }

  /** Distinct conversations among copies keyed "mailbox Message-ID". */
  static long conversations(Map<String, ?> copies) {
    return copies.keySet().stream().map(k -> k.substring(k.indexOf(' ') + 1)).distinct().count();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /**
   * A tmpfs of {@code size} (as {@code mount -o size=} takes it) mounted on {@code dir}; the test
   * is skipped, saying why, where mounting is refused (not root, no CAP_SYS_ADMIN, not Linux).
   */
  static final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
      this.dir = dir;
    }

    static Tmpfs mount(Path dir, String size) throws Exception {
      Files.createDirectories(dir);
      String refused =
          runQuietly("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
      Assumptions.assumeTrue(
          refused.isEmpty(),
          () ->
              "skipped: this fault test needs to mount a small tmpfs (root or CAP_SYS_ADMIN on"
                  + " Linux); mount said: "
                  + refused);
      return new Tmpfs(dir);
    }

    Path dir() {
      return dir;
    }

    /** Fills the filesystem with a filler file until only about {@code leaveBytes} remain. */
    Path fillLeaving(long leaveBytes) throws IOException {
      Path filler = dir.resolve("filler");
      long usable = Files.getFileStore(dir).getUsableSpace();
      byte[] block = new byte[4096];
      try (var out = Files.newOutputStream(filler)) {
        for (long written = 0;
            written + block.length <= usable - leaveBytes;
            written += block.length) {
          out.write(block);
        }
      }
      return filler;
    }

    /** Remounts read-only or read-write; Linux refuses read-only while a file is open to write. */
    String remount(boolean readOnly) throws Exception {
      return runQuietly("mount", "-o", "remount," + (readOnly ? "ro" : "rw"), dir.toString());
    }

    @Override
    public void close() throws Exception {
      String failed = runQuietly("umount", dir.toString());
      if (!failed.isEmpty()) {
        // lazy: a process still holding a file must not leave the mount behind
        runQuietly("umount", "-l", dir.toString());
      }
    }
  }

  /** Runs a system command; empty when it succeeded, else what it printed. */
  static String runQuietly(String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return String.valueOf(e.getMessage());
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return String.join(" ", command) + " did not finish in 30 s";
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + output;
  }
}
