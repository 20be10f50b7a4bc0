package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.Channel;
import io.lparchiver.model.MessageKey;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.FileFaults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.state.SharedFileRecord;
import io.lparchiver.state.StateStore;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync --config} with hosted files on: every file of every archived conversation is in its
 * email byte for byte under its own name and type, with its hash in the ledger; the first URL of
 * each file arrives expired and is re-signed; a file removed by RTBF is named in the email and the
 * ledger.
 */
class SyncFilesEndToEndTest {

  private static final String FOLDER = ".INBOX.LivePerson Conversational Cloud DataParser";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private LivePersonSimulator sim;
  private SeededDataSet data;
  private Path config;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private void start(FileFaults faults, String password) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    data = SeededDataSet.generate(new DataSetSpec(40, 5, 3, now, 20).withFileBytes(200_000));
    sim =
        LivePersonSimulator.builder()
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .fileFaults(faults)
            .build()
            .start();
    config = dir.resolve("lp-archiver.yaml");
    String yaml =
        TestConfigs.demo(sim, now.minus(21, ChronoUnit.DAYS))
            .replace(
                "password: " + sim.agentLogin().password(),
                "password: " + password + "\n    retry: {initialBackoff: 10ms}");
    Files.writeString(config, yaml);
  }

  @Test
  void everyHostedFileIsAttachedByteForByteAndAnRtbfFileIsNamed() throws Exception {
    start(new FileFaults(true, 1), "demo-agent-password");
    String gone = sim.removedHostedFiles().get(0);
    Map<String, Set<String>> expected = hostedFilesOfClosedConversations();
    assertThat(expected.values().stream().mapToInt(Set::size).sum()).isGreaterThan(3);
    assertThat(expected.values()).anySatisfy(paths -> assertThat(paths).contains(gone));

    Result r = run("sync", "--config", config.toString(), "--json");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.json.get("deadLetters").asInt()).isZero();

    Set<String> attached = new java.util.HashSet<>();
    boolean goneNoted = false;
    for (Path f : maildirFiles()) {
      MimeMessage mail = parse(f);
      String id = mail.getHeader("X-LivePerson-Conversation-Id", null);
      if (!expected.containsKey(id)) {
        continue;
      }
      String text = plainText(mail);
      for (String path : expected.get(id)) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        BodyPart part = attachment(mail, name);
        if (path.equals(gone)) {
          assertThat(part).as("removed file %s must not be attached", name).isNull();
          assertThat(text).contains("NOT ATTACHED: LivePerson no longer holds this file");
          goneNoted = true;
          continue;
        }
        assertThat(part).as("%s in the email of %s", name, id).isNotNull();
        try (InputStream in = part.getInputStream()) {
          assertThat(in.readAllBytes()).isEqualTo(sim.hostedFileContent(path));
        }
        assertThat(part.getContentType())
            .startsWith(LivePersonSimulator.hostedFileContentType(path));
        assertThat(text).contains("attached as " + name);
        attached.add(path);
      }
    }
    assertThat(goneNoted).isTrue();
    assertThat(attached).hasSize(expected.values().stream().mapToInt(Set::size).sum() - 1);
    // every file's first URL came back expired and was signed again before the download
    assertThat(sim.fileCounters().urlsSigned()).isEqualTo(2 * (attached.size() + 1));
    assertThat(sim.fileCounters().downloads()).isEqualTo(attached.size());
    assertThat(sim.fileCounters().logins()).isEqualTo(1);

    try (StateStore state = StateStore.openReadOnly(dir.resolve("state"), Clock.systemUTC())) {
      for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
        List<SharedFileRecord> rows =
            state.sharedFiles(new MessageKey(data.account(), Channel.MESSAGING, e.getKey(), 1));
        assertThat(rows)
            .extracting(SharedFileRecord::relativePath)
            .containsExactlyInAnyOrderElementsOf(e.getValue());
        for (SharedFileRecord row : rows) {
          if (row.relativePath().equals(gone)) {
            assertThat(row.status()).isEqualTo(SharedFileRecord.Status.UNAVAILABLE);
            assertThat(row.reason()).contains("no longer holds");
          } else {
            assertThat(row.status()).isEqualTo(SharedFileRecord.Status.ATTACHED);
            assertThat(row.sha256()).isEqualTo(sha256(sim.hostedFileContent(row.relativePath())));
          }
        }
      }
    }

    Result again = run("sync", "--config", config.toString(), "--json");
    assertThat(again.exit).isZero();
    assertThat(again.json.get("deliveries").asInt()).isZero();
  }

  @Test
  void aWrongLoginStopsTheRunNamingTheKeyAndCheckSaysSo() throws Exception {
    start(FileFaults.none(), "not-the-password-42");
    Result r = run("sync", "--config", config.toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err)
        .contains("source.liveperson.files.login.password")
        .doesNotContain("not-the-password-42");
    Result check = run("check", "--config", config.toString());
    assertThat(check.exit).isEqualTo(2);
    assertThat(check.out)
        .contains("[FAIL] LivePerson file download login")
        .contains("source.liveperson.files.login.username")
        .doesNotContain("not-the-password-42");
  }

  @Test
  void checkLogsInWithTheRightPassword() throws Exception {
    start(FileFaults.none(), "demo-agent-password");
    Result check = run("check", "--config", config.toString());
    assertThat(check.out).contains("[ok]   LivePerson file download login");
  }

  /** By the simulator's own records: the hosted files of each closed conversation. */
  private Map<String, Set<String>> hostedFilesOfClosedConversations() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (ObjectNode r : data.conversations()) {
      if (!"CLOSE".equals(r.path("info").path("status").asText())) {
        continue;
      }
      Set<String> paths = new LinkedHashSet<>();
      for (JsonNode m : r.path("messageRecords")) {
        m.findValues("relativePath").forEach(p -> paths.add(p.asText()));
      }
      if (!paths.isEmpty()) {
        out.put(r.path("info").path("conversationId").asText(), paths);
      }
    }
    return out;
  }

  private List<Path> maildirFiles() throws Exception {
    try (Stream<Path> walk = Files.walk(dir.resolve("archive"))) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getParent().getParent().getFileName().toString().equals(FOLDER))
          .filter(p -> !p.getParent().getFileName().toString().equals("tmp"))
          .sorted()
          .toList();
    }
  }

  private static MimeMessage parse(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return new MimeMessage(Session.getInstance(new Properties()), in);
    }
  }

  private static String plainText(Part part) throws Exception {
    if (part.isMimeType("text/plain") && part.getFileName() == null) {
      return (String) part.getContent();
    }
    List<String> texts = new ArrayList<>();
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        texts.add(plainText(mp.getBodyPart(i)));
      }
    }
    return String.join("\n", texts);
  }

  private static BodyPart attachment(Part part, String name) throws Exception {
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart bp = mp.getBodyPart(i);
        if (name.equals(bp.getFileName())) {
          return bp;
        }
        BodyPart nested = attachment(bp, name);
        if (nested != null) {
          return nested;
        }
      }
    }
    return null;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private record Result(int exit, String out, String err, JsonNode json) {}

  private static Result run(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    String[] lines = out.toString().strip().split("\n");
    String last = lines[lines.length - 1];
    JsonNode json = last.startsWith("{") ? JSON.readTree(last) : JSON.createObjectNode();
    return new Result(exit, out.toString(), err.toString(), json);
  }
}
