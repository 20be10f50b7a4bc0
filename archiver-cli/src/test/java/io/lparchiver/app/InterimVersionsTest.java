package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interim versions of long-open conversations ({@code archive.openSnapshotAfter}, default 24 h):
 * {@code sync --config} against the LivePerson simulator on 127.0.0.1 into a Maildir.
 */
class InterimVersionsTest {

  private static final String FOLDER = ".INBOX.LivePerson Conversational Cloud DataParser";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter LP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ", Locale.ROOT).withZone(ZoneOffset.UTC);

  @TempDir Path dir;
  private LivePersonSimulator sim;
  private SeededDataSet data;
  private Path config;
  private Instant now;

  @BeforeEach
  void startSimulator() throws Exception {
    now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    // 10% of the conversations are open, started 2 h to 5 days before now
    data = SeededDataSet.generate(new DataSetSpec(200, 5, 11, now, 20));
    sim =
        LivePersonSimulator.builder()
            .port(0)
            .credentials(SimulatorCredentials.demo())
            .dataSet(data)
            .build()
            .start();
    config = dir.resolve("lp-archiver.yaml");
    Files.writeString(
        config,
        TestConfigs.demo(sim, now.minus(21, ChronoUnit.DAYS))
            .replace("channels: [messaging, chat]", "channels: [messaging]"));
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  @Test
  void anOldOpenConversationGetsAnInterimVersionAndItsCloseBecomesVersionTwoThreadedToIt()
      throws Exception {
    String old = openStartedBefore(now.minus(Duration.ofHours(25)));
    String young = startedAgo(otherOpen(old), Duration.ofHours(3), now.minus(Duration.ofHours(3)));

    Result first = sync();

    List<MimeMessage> interim = emailsOf(old);
    assertThat(interim).as("interim copies of %s", old).isNotEmpty();
    for (MimeMessage m : interim) {
      assertThat(header(m, "X-LivePerson-Version")).isEqualTo("1");
      assertThat(header(m, "X-LivePerson-Status")).isEqualTo("OPEN");
      assertThat(m.getSubject()).endsWith(old + " (open)");
      assertThat(plainText(m)).contains("Status: OPEN").contains("Interim snapshot:");
    }
    assertThat(emailsOf(young)).as("a conversation open for less than 24 h waits").isEmpty();
    int expected = data.closedConversationIds().size() + openOlderThanOneDay();
    assertThat(first.json.get("conversations").asInt()).isEqualTo(expected);

    Result unchanged = sync();
    assertThat(unchanged.json.get("deliveries").asInt())
        .as("an open conversation that did not change is not archived again")
        .isZero();
    assertThat(emailsOf(old)).hasSize(interim.size());

    data.closeConversation(old, Instant.now());
    Result closed = sync();

    assertThat(closed.json.get("deliveries").asInt()).isEqualTo(interim.size());
    List<MimeMessage> v2 = new ArrayList<>();
    for (MimeMessage m : emailsOf(old)) {
      if ("2".equals(header(m, "X-LivePerson-Version"))) {
        v2.add(m);
      }
    }
    assertThat(v2).hasSize(interim.size());
    for (MimeMessage m : v2) {
      assertThat(header(m, "X-LivePerson-Status")).isEqualTo("CLOSE");
      assertThat(header(m, "In-Reply-To")).isEqualTo("<lp.12345678." + old + ".v1@lp-archiver>");
      assertThat(m.getSubject()).endsWith(old + " (version 2)").doesNotContain("(open)");
      assertThat(plainText(m)).doesNotContain("Interim snapshot:");
    }
    assertThat(emailsOf(young)).isEmpty();
  }

  @Test
  void anOpenConversationThatAgesWithoutAnyUpdateIsStillArchived() throws Exception {
    String young =
        startedAgo(
            data.openConversationIds().get(0), Duration.ofHours(3), now.minus(Duration.ofHours(3)));
    sync();
    assertThat(emailsOf(young)).isEmpty();

    // As if a day had passed: it now started just over 24 h ago, and nothing in it changed
    // since long before the last run, so an updated-since query does not return it.
    startedAgo(
        young, Duration.ofHours(24).plus(Duration.ofMinutes(1)), now.minus(Duration.ofDays(2)));
    Result later = sync();

    List<MimeMessage> interim = emailsOf(young);
    assertThat(interim).as("interim copies of %s", young).isNotEmpty();
    assertThat(later.json.get("deliveries").asInt()).isEqualTo(interim.size());
    assertThat(header(interim.get(0), "X-LivePerson-Version")).isEqualTo("1");
    assertThat(interim.get(0).getSubject()).endsWith("(open)");
  }

  @Test
  void zeroTurnsInterimVersionsOff() throws Exception {
    Files.writeString(config, Files.readString(config) + "archive:\n  openSnapshotAfter: 0s\n");
    String old = openStartedBefore(now.minus(Duration.ofHours(25)));

    Result run = sync();

    assertThat(run.json.get("conversations").asInt())
        .isEqualTo(data.closedConversationIds().size());
    assertThat(emailsOf(old)).isEmpty();
  }

  private String openStartedBefore(Instant t) {
    return data.openConversationIds().stream()
        .filter(id -> start(id).isBefore(t))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("the seeded data has no open conversation before " + t));
  }

  private String otherOpen(String id) {
    return data.openConversationIds().stream().filter(o -> !o.equals(id)).findFirst().orElseThrow();
  }

  /** Moves the start of a conversation to {@code age} before the test's now. */
  private String startedAgo(String id, Duration age, Instant updatedAt) {
    long startL = now.minus(age).toEpochMilli();
    data.touch(
        id,
        r ->
            ((ObjectNode) r.get("info"))
                .put("startTimeL", startL)
                .put("startTime", LP_TIME.format(Instant.ofEpochMilli(startL))),
        updatedAt);
    return id;
  }

  private int openOlderThanOneDay() {
    Instant dayAgo = Instant.now().minus(Duration.ofHours(24));
    List<Instant> starts = data.openConversationIds().stream().map(this::start).toList();
    assertThat(starts)
        .as("no open conversation turns 24 h old while the test runs")
        .noneMatch(t -> Duration.between(t, dayAgo).abs().compareTo(Duration.ofMinutes(2)) < 0);
    return (int) starts.stream().filter(t -> t.isBefore(dayAgo)).count();
  }

  private Instant start(String id) {
    return Instant.ofEpochMilli(
        data.conversation(id).orElseThrow().path("info").path("startTimeL").asLong());
  }

  private Result sync() throws Exception {
    Result r = run("sync", "--config", config.toString(), "--json");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.json.get("deadLetters").asInt()).as(r.out).isZero();
    return r;
  }

  private List<MimeMessage> emailsOf(String conversationId) throws Exception {
    List<MimeMessage> out = new ArrayList<>();
    Path root = dir.resolve("archive");
    if (!Files.isDirectory(root)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> p.getParent().getParent().getFileName().toString().equals(FOLDER))
              .filter(p -> !p.getParent().getFileName().toString().equals("tmp"))
              .sorted()
              .toList();
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
        if (conversationId.equals(header(m, "X-LivePerson-Conversation-Id"))) {
          out.add(m);
        }
      }
    }
    return out;
  }

  private static String header(MimeMessage m, String name) throws Exception {
    return m.getHeader(name, null);
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
