package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimAgent;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job as a user runs it: {@code sync --config} against the LivePerson simulator on
 * 127.0.0.1 with faults on, into a Maildir; then reruns.
 */
class SyncEndToEndTest {

  private static final String FOLDER = ".INBOX.LivePerson Conversational Cloud DataParser";
  private static final String FALLBACK = "compliance-archive@brand.example";
  private static final String BOTS = "bot-transcripts@brand.example";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private LivePersonSimulator sim;
  private SeededDataSet data;
  private Path config;

  @BeforeEach
  void startSimulator() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    data = SeededDataSet.generate(new DataSetSpec(250, 5, 7, now, 60).withChats(60));
    sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .faults(
                Faults.builder()
                    .tooManyRequests(1, 1)
                    .serverErrors(2)
                    .partialResults(1)
                    .partialRecords(2)
                    .droppedConnections(1)
                    .spacing(1)
                    .build())
            .build()
            .start();
    StringBuilder csv = new StringBuilder("participant,mailbox\n");
    data.agents().stream()
        .filter(SimAgent::isBot)
        .forEach(b -> csv.append(b.id()).append(',').append(BOTS).append('\n'));
    Files.writeString(dir.resolve("mapping.csv"), csv);
    config = dir.resolve("lp-archiver.yaml");
    Files.writeString(
        config,
        fastRetries(
            DemoCommand.configYaml(
                sim,
                SimulatorCredentials.demo(),
                "./archive",
                "./state",
                "mapping.csv",
                now.minus(61, ChronoUnit.DAYS))));
  }

  /** Same retries as production, with millisecond backoff so faults cost no test time. */
  private static String fastRetries(String yaml) {
    return yaml.replace(
        "    channels: [messaging, chat]\n",
        "    channels: [messaging, chat]\n    retry:\n      maxAttempts: 8\n      initialBackoff: 10ms\n");
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  @Test
  void archivesEveryClosedConversationOncePerMappedMailboxAndNothingTwice() throws Exception {
    Result first = run("sync", "--config", config.toString(), "--json");
    assertThat(first.exit).as(first.err).isZero();
    Map<String, Set<String>> expected = expectedMailboxes();
    int expectedCopies = expected.values().stream().mapToInt(Set::size).sum();
    assertThat(first.json.get("conversations").asInt()).isEqualTo(archivable());
    assertThat(archivedConversationsPerMailbox()).isEqualTo(invert(expected));
    assertThat(first.json.get("deliveries").asInt()).isEqualTo(expectedCopies);
    assertThat(first.json.get("deadLetters").asInt()).isZero();
    assertThat(sim.faultCounters())
        .as("every planned fault was injected and survived")
        .isEqualTo(new io.lparchiver.sim.liveperson.FaultCounters(1, 2, 1, 2, 1));

    Map<String, Set<String>> archived = archivedConversationsPerMailbox();
    assertThat(archived).isEqualTo(invert(expected));

    Result second = run("sync", "--config", config.toString(), "--json");
    assertThat(second.exit).isZero();
    assertThat(second.json.get("deliveries").asInt()).isZero();
    assertThat(archivedConversationsPerMailbox()).isEqualTo(archived);

    Result rerange =
        run(
            "sync",
            "--config",
            config.toString(),
            "--json",
            "--from",
            Instant.now().minus(70, ChronoUnit.DAYS).toString(),
            "--to",
            Instant.now().plus(1, ChronoUnit.MINUTES).toString());
    assertThat(rerange.exit).isZero();
    assertThat(rerange.json.get("deliveries").asInt()).isZero();
    assertThat(rerange.json.get("duplicates").asInt()).isEqualTo(expectedCopies);
    assertThat(archivedConversationsPerMailbox()).isEqualTo(archived);

    Result status = run("status", "--config", config.toString());
    assertThat(status.exit).isZero();
    assertThat(status.out).contains("deliveries").contains(String.valueOf(expectedCopies));
  }

  @Test
  void aFailingTargetStopsTheRunAndTheNextRunCompletesTheWork() throws Exception {
    Files.writeString(dir.resolve("archive"), "a file where the Maildir root should be");

    Result broken = run("sync", "--config", config.toString(), "--json");

    assertThat(broken.exit).isEqualTo(1);
    assertThat(broken.err)
        .contains("stopped: the last 10 deliveries to the maildir target all failed");
    Files.delete(dir.resolve("archive"));
    Result fixed = run("sync", "--config", config.toString(), "--json");
    assertThat(fixed.exit).as(fixed.err).isZero();
    assertThat(archivedConversationsPerMailbox()).isEqualTo(invert(expectedMailboxes()));
    Result status = run("status", "--config", config.toString());
    assertThat(status.out).contains("open dead letters").doesNotContain("deliver messaging:");
  }

  @Test
  void logExportListsEveryCopyAndEveryDeadLetter() throws Exception {
    Files.writeString(
        config, Files.readString(config).replace("  fallbackMailbox: " + FALLBACK + "\n", ""));
    Result sync = run("sync", "--config", config.toString(), "--json");
    int copies = sync.json.get("deliveries").asInt();
    int dead = sync.json.get("deadLetters").asInt();

    Result jsonl = run("log", "export", "--config", config.toString(), "--format", "jsonl");
    Path csvFile = dir.resolve("log.csv");
    Result csv =
        run("log", "export", "--config", config.toString(), "--output", csvFile.toString());

    assertThat(jsonl.exit).isZero();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : jsonl.out.strip().split("\n")) {
      rows.add(JSON.readTree(line));
    }
    assertThat(rows.stream().filter(r -> r.get("outcome").asText().equals("imported")))
        .hasSize(copies);
    assertThat(rows.stream().filter(r -> r.get("outcome").asText().equals("unmapped")))
        .hasSize(dead);
    assertThat(rows)
        .filteredOn(r -> r.get("outcome").asText().equals("imported"))
        .allSatisfy(
            r -> {
              assertThat(r.get("sha256").asText()).hasSize(64);
              assertThat(r.get("folder").asText())
                  .isEqualTo("LivePerson Conversational Cloud DataParser");
            });
    assertThat(csv.exit).isZero();
    List<String> lines = Files.readAllLines(csvFile);
    assertThat(lines.get(0)).startsWith("time,run_id,channel,conversation_id,version,mailbox");
    assertThat(lines).hasSize(1 + copies + dead);
    Result none =
        run("log", "export", "--config", config.toString(), "--from", "2099-01-01T00:00:00Z");
    assertThat(none.out.strip().split("\n")).hasSize(1);
  }

  @Test
  void lateChangesBecomeOneNewThreadedVersionAndLateClosesAreArchived() throws Exception {
    assertThat(run("sync", "--config", config.toString()).exit).isZero();
    Map<String, Set<String>> before = archivedConversationsPerMailbox();
    String changed = data.closedConversationIds().get(0);
    String closedLate = data.openConversationIds().get(0);
    // open for over 24 h at the first sync: archived then as an interim version 1
    int versionsOfClosedLate = oldOpen().contains(closedLate) ? 2 : 1;
    Instant now = Instant.now();
    data.touch(
        changed,
        r -> ((ObjectNode) r.get("summary")).put("text", "Summary edited after archiving"),
        now);
    data.closeConversation(closedLate, now);

    Result second = run("sync", "--config", config.toString(), "--json");

    assertThat(second.exit).as(second.err).isZero();
    Set<String> mailboxes = expectedMailboxes().get(changed);
    assertThat(second.json.get("deliveries").asInt())
        .as("one new version per mailbox of the changed conversation, plus the late close")
        .isEqualTo(mailboxes.size() + expectedMailboxes().get(closedLate).size());
    List<MimeMessage> versions = emailsOf(changed);
    assertThat(versions).hasSize(2 * mailboxes.size());
    MimeMessage v2 = null;
    for (MimeMessage m : versions) {
      if ("2".equals(header(m, "X-LivePerson-Version"))) {
        v2 = m;
      }
    }
    assertThat(v2).as("version 2 of %s", changed).isNotNull();
    assertThat(header(v2, "In-Reply-To")).isEqualTo("<lp.12345678." + changed + ".v1@lp-archiver>");
    assertThat(plainText(v2)).contains("Summary edited after archiving");
    assertThat(emailsOf(closedLate))
        .hasSize(versionsOfClosedLate * expectedMailboxes().get(closedLate).size());
    Map<String, Set<String>> after = archivedConversationsPerMailbox();
    before.forEach((mailbox, ids) -> assertThat(after.get(mailbox)).containsAll(ids));

    Result third = run("sync", "--config", config.toString(), "--json");
    assertThat(third.json.get("deliveries").asInt()).isZero();
  }

  @Test
  void aLostLedgerDoesNotDoubleAnything() throws Exception {
    Result first = run("sync", "--config", config.toString(), "--json");
    assertThat(first.exit).isZero();
    Map<String, Set<String>> archived = archivedConversationsPerMailbox();
    deleteTree(dir.resolve("state"));

    Result again = run("sync", "--config", config.toString(), "--json");

    assertThat(again.exit).isZero();
    assertThat(again.json.get("deliveries").asInt()).isZero();
    assertThat(again.json.get("duplicates").asInt())
        .isEqualTo(first.json.get("deliveries").asInt());
    assertThat(archivedConversationsPerMailbox()).isEqualTo(archived);
  }

  @Test
  void everyEmailParsesAndCarriesEveryMessageFileReferenceAndTheOriginalRecord() throws Exception {
    assertThat(run("sync", "--config", config.toString()).exit).isZero();
    Map<String, ObjectNode> records = new TreeMap<>();
    data.conversations().forEach(r -> records.put(r.get("info").get("conversationId").asText(), r));
    data.chats().forEach(r -> records.put(r.get("info").get("engagementId").asText(), r));
    List<Path> files = maildirFiles();
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      MimeMessage mail = parse(file);
      String id = mail.getHeader("X-LivePerson-Conversation-Id", null);
      ObjectNode record = records.get(id);
      assertThat(record).as("record for " + file).isNotNull();
      String text = plainText(mail);
      if (record.has("transcript")) {
        assertChatTranscript(mail, record, text);
      }
      for (JsonNode m : record.path("messageRecords")) {
        JsonNode msgData = m.path("messageData");
        String plain = msgData.path("msg").path("text").asText("");
        if ("TEXT_PLAIN".equals(m.path("type").asText()) && !plain.isBlank()) {
          assertThat(normalise(text))
              .as("message %s of %s", m.path("seq"), id)
              .contains(normalise(plain));
        }
        String path = msgData.path("file").path("relativePath").asText("");
        if (!path.isEmpty()) {
          assertThat(text).as("file reference in %s", id).contains(path);
        }
      }
      byte[] original = attachment(mail, "conversation.json");
      String idField = record.has("transcript") ? "engagementId" : "conversationId";
      assertThat(JSON.readTree(original).path("info").path(idField).asText()).isEqualTo(id);
      assertThat(mail.getHeader("X-LivePerson-Source-SHA256", null)).isEqualTo(sha256(original));
    }
  }

  @Test
  void dryRunPrintsWhoWouldGetWhatAndWritesNothing() throws Exception {
    Result dry = run("sync", "--config", config.toString(), "--dry-run", "--json");
    assertThat(dry.exit).as(dry.err).isZero();
    assertThat(dry.json.get("deliveries").asInt()).isZero();
    assertThat(dry.json.get("conversations").asInt()).isEqualTo(archivable());
    assertThat(dry.err).contains(FALLBACK);
    assertThat(dir.resolve("archive")).doesNotExist();
    assertThat(dir.resolve("state")).doesNotExist();
  }

  @Test
  void wrongCredentialsStopWithAMessageNamingTheKeysAndNoSecret() throws Exception {
    Files.writeString(
        config, Files.readString(config).replace("demo-app-secret", "wrong-secret-value"));
    Result r = run("sync", "--config", config.toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err)
        .contains("source.liveperson.auth")
        .doesNotContain("wrong-secret-value")
        .doesNotContain("demo-access-token-secret");
  }

  @Test
  void unmappedConversationsAreDeadLetteredAndReportedWithExitCodeThree() throws Exception {
    Files.writeString(
        config, Files.readString(config).replace("  fallbackMailbox: " + FALLBACK + "\n", ""));
    Result r = run("sync", "--config", config.toString(), "--json");
    long unmapped = expectedMailboxes().values().stream().filter(s -> s.contains(FALLBACK)).count();
    assertThat(unmapped)
        .as("the data set has conversations only the fallback would take")
        .isPositive();
    assertThat(r.exit).isEqualTo(3);
    assertThat(r.json.get("deadLetters").asInt()).isEqualTo((int) unmapped);
    Result status = run("status", "--config", config.toString());
    assertThat(status.out).contains("open dead letters").contains("unmapped");
  }

  @Test
  void secretsAppearInNoOutputLogLedgerOrEmail() throws Exception {
    Result ok = run("sync", "--config", config.toString(), "--json");
    Result status = run("status", "--config", config.toString());
    Files.writeString(
        config, Files.readString(config).replace("demo-app-secret", "wrong-s3cret-value"));
    Result refused = run("sync", "--config", config.toString());
    assertThat(ok.exit).isZero();
    assertThat(refused.exit).isEqualTo(2);

    List<String> secrets =
        List.of("demo-app-secret", "demo-access-token-secret", "wrong-s3cret-value");
    StringBuilder everything = new StringBuilder();
    for (Result r : List.of(ok, status, refused)) {
      everything.append(r.out).append(r.err);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!f.equals(config)) {
          everything.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
      }
    }
    Path log = Path.of("target", "test-logs", "lp-archiver.log");
    assertThat(log).as("the test log captures lp-archiver's logging").exists();
    everything.append(Files.readString(log, StandardCharsets.ISO_8859_1));
    assertThat(everything.toString()).contains("conversations").doesNotContain(secrets);
  }

  /** Every chat line is in the text, agent-only lines labelled, system lines as events. */
  private static void assertChatTranscript(MimeMessage mail, ObjectNode chat, String text)
      throws Exception {
    assertThat(mail.getHeader("X-LivePerson-Channel", null)).isEqualTo("chat");
    assertThat(mail.getMessageID()).startsWith("<lp.chat.");
    for (JsonNode line : chat.at("/transcript/lines")) {
      String said = line.path("text").asText("");
      if (!said.isBlank() && "plain".equals(line.path("textType").asText())) {
        assertThat(normalise(text)).contains(normalise(said));
        if ("ONLY_TO_REP".equals(line.path("subType").asText())) {
          assertThat(text).contains("[agent-only] " + line.path("by").asText() + " (agent");
        }
      }
    }
  }

  /** Closed conversations, open ones old enough for an interim version (24 h), and chats. */
  private int archivable() {
    return data.closedConversationIds().size() + oldOpen().size() + data.chatIds().size();
  }

  private Set<String> oldOpen() {
    Instant dayAgo = Instant.now().minus(24, ChronoUnit.HOURS);
    Set<String> ids = new TreeSet<>();
    for (String id : data.openConversationIds()) {
      if (start(id).isBefore(dayAgo)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private Instant start(String id) {
    return Instant.ofEpochMilli(
        data.conversation(id).orElseThrow().path("info").path("startTimeL").asLong());
  }

  /** Independent of the mapper: agents by the simulator's own truth, bots by CSV, else fallback. */
  private Map<String, Set<String>> expectedMailboxes() {
    Map<String, Set<String>> expected = new TreeMap<>();
    for (ObjectNode chat : data.chats()) {
      Set<String> refs = new TreeSet<>(List.of(chat.at("/info/agentId").asText()));
      chat.at("/transcript/lines").forEach(l -> refs.add(l.path("agentId").asText()));
      expected.put(chat.at("/info/engagementId").asText(), mailboxes(refs));
    }
    Set<String> interim = oldOpen();
    for (ObjectNode r : data.conversations()) {
      if (!"CLOSE".equals(r.path("info").path("status").asText())
          && !interim.contains(r.path("info").path("conversationId").asText())) {
        continue;
      }
      Set<String> refs = new TreeSet<>();
      for (String section :
          List.of("agentParticipants", "agentParticipantsLeave", "agentParticipantsActive")) {
        r.path(section).forEach(p -> refs.add(p.path("agentId").asText()));
      }
      // a bot that only asks the post-conversation survey still took part
      r.path("messageRecords").forEach(m -> refs.add(m.path("participantId").asText()));
      expected.put(r.path("info").path("conversationId").asText(), mailboxes(refs));
    }
    return expected;
  }

  private Set<String> mailboxes(Set<String> agentRefs) {
    Set<String> boxes = new TreeSet<>();
    for (SimAgent a : data.agents()) {
      if (agentRefs.contains(a.reference()) || agentRefs.contains(a.id())) {
        if (a.isBot()) {
          boxes.add(BOTS);
        } else if (a.inUsersApi()) {
          boxes.add(a.email());
        }
      }
    }
    if (boxes.isEmpty()) {
      boxes.add(FALLBACK);
    }
    return boxes;
  }

  private static Map<String, Set<String>> invert(Map<String, Set<String>> byConversation) {
    Map<String, Set<String>> byMailbox = new TreeMap<>();
    byConversation.forEach(
        (c, boxes) ->
            boxes.forEach(b -> byMailbox.computeIfAbsent(b, k -> new TreeSet<>()).add(c)));
    return byMailbox;
  }

  private Map<String, Set<String>> archivedConversationsPerMailbox() throws Exception {
    Map<String, Set<String>> out = new TreeMap<>();
    Set<String> copies = new java.util.HashSet<>();
    for (Path f : maildirFiles()) {
      String mailbox = dir.resolve("archive").relativize(f).getName(0).toString();
      MimeMessage m = parse(f);
      assertThat(copies.add(mailbox + " " + m.getMessageID()))
          .as("duplicate of %s in %s", m.getMessageID(), mailbox)
          .isTrue();
      out.computeIfAbsent(mailbox, k -> new TreeSet<>())
          .add(header(m, "X-LivePerson-Conversation-Id"));
    }
    return out;
  }

  private List<Path> maildirFiles() throws Exception {
    Path root = dir.resolve("archive");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getParent().getParent().getFileName().toString().equals(FOLDER))
          .filter(p -> !p.getParent().getFileName().toString().equals("tmp"))
          .sorted()
          .toList();
    }
  }

  private List<MimeMessage> emailsOf(String conversationId) throws Exception {
    List<MimeMessage> out = new ArrayList<>();
    for (Path f : maildirFiles()) {
      MimeMessage m = parse(f);
      if (conversationId.equals(header(m, "X-LivePerson-Conversation-Id"))) {
        out.add(m);
      }
    }
    return out;
  }

  private static String header(MimeMessage m, String name) throws Exception {
    return m.getHeader(name, null);
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
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
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < mp.getCount(); i++) {
        texts.add(plainText(mp.getBodyPart(i)));
      }
      return String.join("\n", texts);
    }
    return "";
  }

  private static byte[] attachment(Part part, String name) throws Exception {
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart bp = mp.getBodyPart(i);
        if (name.equals(bp.getFileName())) {
          try (InputStream in = bp.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toByteArray();
          }
        }
        byte[] nested = attachment(bp, name);
        if (nested.length > 0) {
          return nested;
        }
      }
    }
    return new byte[0];
  }

  private static String normalise(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private record Result(int exit, String out, String err, JsonNode json) {}

  private static Result run(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    String stdout = out.toString();
    String[] lines = stdout.strip().split("\n");
    JsonNode json = JSON.createObjectNode();
    String last = lines[lines.length - 1];
    if (last.startsWith("{")) {
      json = JSON.readTree(last);
    }
    return new Result(exit, stdout, err.toString(), json);
  }
}
