package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.testing.AuditForgery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync}, then {@code verify} and {@code audit export} as a user runs them, against a real
 * Maildir and a real state file; then the archive and the audit trail are tampered with and {@code
 * verify} must name each change.
 */
class VerifyEndToEndTest {

  private static final String FOLDER = ".INBOX.LivePerson Conversational Cloud DataParser";
  private static final String SIGNING_KEY = "verify-test-signing-key-4f9a";
  private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>]+>)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private LivePersonSimulator sim;
  private Path config;

  @BeforeEach
  void archiveSomeConversations() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(40, 3, 11, now, 20));
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
            + "audit:\n  signingKey: "
            + SIGNING_KEY
            + "\n");
    Result sync = run("sync", "--config", config.toString());
    assertThat(sync.exit).as(sync.err).isZero();
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  @Test
  void aCleanArchiveVerifiesWithExitZero() throws Exception {
    Result verify = run("verify", "--config", config.toString(), "--json");

    assertThat(verify.exit).as(verify.out + verify.err).isZero();
    JsonNode summary = verify.lastJson();
    assertThat(summary.get("intact").asBoolean()).isTrue();
    assertThat(summary.get("ledgerEntries").asLong())
        .isEqualTo(archivedFiles().size())
        .isPositive();
    assertThat(summary.get("intactEntries").asLong()).isEqualTo(archivedFiles().size());
    assertThat(summary.get("signaturesChecked").asBoolean()).isTrue();
    assertThat(summary.get("signedDays").asInt()).isPositive();
    assertThat(verify.out.strip().split("\n")).hasSize(1); // no finding lines
    assertThat(verify.out + verify.err).doesNotContain(SIGNING_KEY);
  }

  @Test
  void namesTheTamperedAuditEntryTheDeletedCopyTheAlteredCopyAndTheStrayItem() throws Exception {
    List<Path> files = archivedFiles();
    Path deleted = files.get(0);
    Path altered = files.get(1);
    String deletedId = messageId(deleted);
    String alteredId = messageId(altered);
    Files.delete(deleted);
    byte[] bytes = Files.readAllBytes(altered);
    bytes[bytes.length - 10] ^= 0x01; // one bit of one byte, in the body
    Files.write(altered, bytes);
    String strayId = "<lp." + sim.account() + ".not-in-the-ledger.v1@lp-archiver>";
    Path stray = files.get(2).resolveSibling("1.M1P1Q1_stray.host,S=1");
    Files.writeString(
        stray,
        Files.readString(files.get(2), StandardCharsets.ISO_8859_1)
            .replace(messageId(files.get(2)), strayId),
        StandardCharsets.ISO_8859_1);
    tamperAuditEntry(5);

    Result verify = run("verify", "--config", config.toString(), "--json");

    assertThat(verify.exit).as(verify.out + verify.err).isEqualTo(4);
    List<JsonNode> findings = verify.findings();
    assertThat(findings)
        .anySatisfy(
            f -> {
              assertThat(f.get("finding").asText()).isEqualTo("audit");
              assertThat(f.get("detail").asText()).startsWith("seq 5 ");
            })
        .anySatisfy(finding("missing", deletedId))
        .anySatisfy(finding("altered", alteredId))
        .anySatisfy(finding("unexpected", strayId));
    JsonNode summary = verify.lastJson();
    assertThat(summary.get("missing").asInt()).isEqualTo(1);
    assertThat(summary.get("altered").asInt()).isEqualTo(1);
    assertThat(summary.get("unexpected").asInt()).isEqualTo(1);
    assertThat(summary.get("auditIntact").asBoolean()).isFalse();
    assertThat(summary.get("intactEntries").asLong()).isEqualTo(files.size() - 2);

    Result human = run("verify", "--config", config.toString());
    assertThat(human.exit).isEqualTo(4);
    assertThat(human.out)
        .contains("MISSING", deletedId)
        .contains("ALTERED", alteredId)
        .contains("UNEXPECTED", strayId)
        .contains("Verify: NOT INTACT");
  }

  @Test
  void aRangeChecksOnlyTheEntriesDeliveredInIt() throws Exception {
    Files.delete(archivedFiles().get(0));

    Result before =
        run("verify", "--config", config.toString(), "--to", "2000-01-01T00:00:00Z", "--json");

    assertThat(before.exit).as(before.out + before.err).isZero();
    assertThat(before.lastJson().get("ledgerEntries").asInt()).isZero();
  }

  @Test
  void auditExportLinesRecomputeToTheStoredHashes() throws Exception {
    Path out = dir.resolve("audit.jsonl");
    Result export = run("audit", "export", "--config", config.toString(), "--out", out.toString());
    assertThat(export.exit).as(export.err).isZero();

    List<String> lines = Files.readAllLines(out);
    String prev = "0".repeat(64);
    int entries = 0;
    int signatures = 0;
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      if (n.get("type").asText().equals("signature")) {
        signatures++;
        continue;
      }
      entries++;
      assertThat(n.get("prevHash").asText()).isEqualTo(prev);
      // The documented recipe: SHA-256 of prevHash + "|" + [seq, at, event, subject, detail].
      String canonical =
          JSON.writeValueAsString(
              List.of(
                  n.get("seq").asLong(),
                  n.get("at").asText(),
                  n.get("event").asText(),
                  n.get("subject").asText(),
                  n.get("detail").asText()));
      assertThat(n.get("hash").asText()).isEqualTo(sha256(prev + "|" + canonical));
      prev = n.get("hash").asText();
    }
    assertThat(entries).isGreaterThan(archivedFiles().size());
    assertThat(signatures).isPositive();
    assertThat(lines).anyMatch(l -> l.contains("\"event\":\"run_start\"") && l.contains("config"));
    assertThat(String.join("\n", lines)).doesNotContain(SIGNING_KEY);
  }

  @Test
  void anEd25519KeyFromOpensslSignsAndAnAuditorChecksWithThePublicKeyAlone() throws Exception {
    Path key = dir.resolve("audit-key.pem");
    Path opensslPublic = dir.resolve("openssl.pub.pem");
    assumeTrue(
        openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString()), "needs openssl");
    assertThat(openssl("pkey", "-in", key.toString(), "-pubout", "-out", opensslPublic.toString()))
        .isTrue();
    String pem = Files.readString(key, StandardCharsets.US_ASCII);
    String yaml =
        Files.readString(config)
            .replace("signingKey: " + SIGNING_KEY, "signingKey: |\n" + pem.strip().indent(4));
    Files.writeString(config, yaml);
    Result sync = run("sync", "--config", config.toString()); // re-signs every day with Ed25519
    assertThat(sync.exit).as(sync.err).isZero();

    Path publicKey = dir.resolve("audit-key.pub.pem");
    Result pub =
        run("audit", "public-key", "--config", config.toString(), "--out", publicKey.toString());
    assertThat(pub.exit).as(pub.err).isZero();
    assertThat(Files.readString(publicKey).strip())
        .as("the same public key as openssl derives")
        .isEqualTo(Files.readString(opensslPublic).strip());
    Path export = dir.resolve("audit.jsonl");
    assertThat(
            run("audit", "export", "--config", config.toString(), "--out", export.toString()).exit)
        .isZero();
    List<String> lines = Files.readAllLines(export);
    assertThat(lines).anyMatch(l -> l.contains("\"type\":\"key\"") && l.contains("Ed25519"));
    assertThat(String.join("\n", lines)).doesNotContain(pem.lines().skip(1).findFirst().get());

    Result check =
        run(
            "audit",
            "verify-signatures",
            "--in",
            export.toString(),
            "--public-key",
            publicKey.toString());
    assertThat(check.exit).as(check.out + check.err).isZero();
    assertThat(check.out).contains("intact.");

    // An auditor's verify of the state itself, with no private key in their configuration.
    Files.writeString(config, yaml.substring(0, yaml.indexOf("audit:")));
    Result verify =
        run(
            "verify",
            "--config",
            config.toString(),
            "--public-key",
            publicKey.toString(),
            "--json");
    assertThat(verify.exit).as(verify.out + verify.err).isZero();
    assertThat(verify.lastJson().get("signaturesChecked").asBoolean()).isTrue();

    List<String> forged = new ArrayList<>(lines);
    int sig = -1;
    for (int i = 0; i < forged.size(); i++) {
      if (forged.get(i).contains("\"type\":\"signature\"")) {
        sig = i;
      }
    }
    String day = JSON.readTree(forged.get(sig)).get("day").asText();
    forged.set(sig, AuditForgery.withSignatureChanged(forged.get(sig)));
    Files.write(export, forged);
    Result tampered =
        run(
            "audit",
            "verify-signatures",
            "--in",
            export.toString(),
            "--public-key",
            publicKey.toString());
    assertThat(tampered.exit).isEqualTo(4);
    assertThat(tampered.out).contains("audit day " + day).contains("signature does not match");
  }

  private static boolean openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (java.io.IOException e) {
      return false; // no openssl on this machine
    }
  }

  private static Consumer<JsonNode> finding(String kind, String messageId) {
    return f -> {
      assertThat(f.get("finding").asText()).isEqualTo(kind);
      assertThat(f.get("messageId").asText()).isEqualTo(messageId);
    };
  }

  /** Edits one audit row behind the archiver's back (the triggers only stop accidents). */
  private void tamperAuditEntry(long seq) throws Exception {
    Path db = dir.resolve("state/lp-archiver.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("DROP TRIGGER audit_no_update");
      st.execute("UPDATE audit SET subject = subject || ' (edited)' WHERE seq = " + seq);
    }
  }

  private List<Path> archivedFiles() throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> mailboxes = Files.list(dir.resolve("archive"))) {
      for (Path mailbox : mailboxes.sorted().toList()) {
        for (String sub : new String[] {"new", "cur"}) {
          Path d = mailbox.resolve(FOLDER).resolve(sub);
          if (Files.isDirectory(d)) {
            try (Stream<Path> s = Files.list(d)) {
              s.sorted().forEach(files::add);
            }
          }
        }
      }
    }
    return files;
  }

  private static String messageId(Path file) throws Exception {
    Matcher m = MESSAGE_ID.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
    assertThat(m.find()).as("Message-ID in " + file).isTrue();
    return m.group(1);
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private record Result(int exit, String out, String err) {
    JsonNode lastJson() throws Exception {
      String[] lines = out.strip().split("\n");
      return JSON.readTree(lines[lines.length - 1]);
    }

    List<JsonNode> findings() throws Exception {
      List<JsonNode> all = new ArrayList<>();
      String[] lines = out.strip().split("\n");
      for (int i = 0; i < lines.length - 1; i++) {
        all.add(JSON.readTree(lines[i]));
      }
      return all;
    }
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(exit, out.toString(), err.toString());
  }
}
