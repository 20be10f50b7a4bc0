package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.graph.StoredAttachment;
import io.lparchiver.sim.graph.StoredMessage;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.testing.OverflowStubs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync} into a Microsoft 365 tenant (Graph simulator) that takes attachments only up to the
 * median record size: every conversation whose {@code conversation.json} is larger lands with a
 * stub, its record in the overflow folder under its SHA-256, and the ledger and the log say
 * externalised; the others land whole.
 */
class OverflowSyncTest {

  private static final String FOLDER = "LivePerson Conversational Cloud DataParser";

  @TempDir Path dir;

  @Test
  void recordsOverTheTenantsAttachmentLimitAreExternalisedAndCountedSo() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(40, 4, 5, now, 30));
    List<Integer> sizes =
        data.conversations().stream()
            .map(c -> c.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
            .sorted()
            .toList();
    long limit = sizes.get(sizes.size() / 2);
    GraphSimulator.Builder tenant = GraphTestConfig.tenantFor(data).maxAttachmentBytes(limit);
    try (LivePersonSimulator sim =
            LivePersonSimulator.builder()
                .port(0)
                .credentials(SimulatorCredentials.demo())
                .dataSet(data)
                .faults(Faults.none())
                .build()
                .start();
        GraphSimulator graph = tenant.build().start()) {
      Path config = dir.resolve("lp-archiver.yaml");
      Files.writeString(config, config(sim, graph, limit));

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit =
          Main.run(
              new PrintWriter(out, true),
              new PrintWriter(err, true),
              "sync",
              "--config",
              config.toString());
      assertThat(exit).as(out + "\n" + err).isZero();

      int stubbed = 0;
      int whole = 0;
      for (GraphUser user : graph.users()) {
        for (StoredMessage m :
            graph.mailbox(user.mail()).orElseThrow().messagesInInboxChild(FOLDER)) {
          List<String> names = m.attachments().stream().map(StoredAttachment::name).toList();
          assertThat(m.attachments())
              .allSatisfy(a -> assertThat(a.size()).isLessThanOrEqualTo(limit));
          // the demo config downloads hosted files too: any part may be the one stored outside
          if (names.stream().anyMatch(n -> n.endsWith(".externalised.txt"))) {
            names.stream()
                .filter(n -> n.endsWith(".externalised.txt"))
                .forEach(
                    stub ->
                        assertThat(names)
                            .doesNotContain(
                                stub.substring(0, stub.length() - ".externalised.txt".length())));
            stubbed++;
          } else {
            assertThat(names).contains("conversation.json");
            whole++;
          }
        }
      }
      assertThat(stubbed).as("copies with a stub").isPositive();
      assertThat(whole).as("copies small enough to stay whole").isPositive();
      assertThat(ledgerCount("externalised")).isEqualTo(stubbed);
      assertThat(ledgerCount("delivered")).isEqualTo(whole);

      Path overflow = dir.resolve("state/overflow");
      try (Stream<Path> walk = Files.walk(overflow)) {
        List<Path> files =
            walk.filter(Files::isRegularFile)
                .filter(p -> !overflow.relativize(p).getName(0).toString().startsWith("."))
                .toList();
        assertThat(files).isNotEmpty();
        for (Path f : files) {
          assertThat(Files.size(f)).isGreaterThan(limit);
          assertThat(OverflowStubs.sha256(f)).isEqualTo(f.getFileName().toString());
        }
      }

      StringWriter log = new StringWriter();
      assertThat(
              Main.run(
                  new PrintWriter(log, true),
                  new PrintWriter(new StringWriter(), true),
                  "log",
                  "export",
                  "--config",
                  config.toString(),
                  "--format",
                  "csv"))
          .isZero();
      assertThat(log.toString().lines().filter(l -> l.contains(",externalised,")).count())
          .isEqualTo(stubbed);

      verifyHashesTheOverflowFiles(config, overflow);
    }
  }

  /**
   * verify re-hashes each externalised copy's overflow files against the SHA-256 recorded when they
   * were stored: intact after the sync; one file deleted and another altered are each named.
   */
  private void verifyHashesTheOverflowFiles(Path config, Path overflow) throws Exception {
    Verify clean = verify(config);
    assertThat(clean.exit).as(clean.out).isZero();
    assertThat(recordedOverflowFiles()).as("overflow files recorded with the ledger").isPositive();

    List<Path> files;
    try (Stream<Path> walk = Files.walk(overflow)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !overflow.relativize(p).getName(0).toString().startsWith("."))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    String deleted = overflow.relativize(files.get(0)).toString().replace('\\', '/');
    String altered = overflow.relativize(files.get(1)).toString().replace('\\', '/');
    Files.delete(files.get(0));
    byte[] bytes = Files.readAllBytes(files.get(1));
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(files.get(1), bytes);

    Verify tampered = verify(config);
    assertThat(tampered.exit).as(tampered.out).isEqualTo(4);
    assertThat(tampered.out.lines())
        .anySatisfy(
            l -> assertThat(l).startsWith("MISSING").contains(deleted).contains("overflow file"))
        .anySatisfy(
            l -> assertThat(l).startsWith("ALTERED").contains(altered).contains("recorded when"))
        .noneMatch(l -> l.startsWith("MISSING") && l.contains(altered))
        .noneMatch(l -> l.startsWith("ALTERED") && !l.contains("overflow file"));
  }

  private record Verify(int exit, String out) {}

  private static Verify verify(Path config) {
    StringWriter out = new StringWriter();
    int exit =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(out, true),
            "verify",
            "--config",
            config.toString());
    return new Verify(exit, out.toString());
  }

  private int recordedOverflowFiles() throws Exception {
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/lp-archiver.db"));
        ResultSet rs =
            db.createStatement().executeQuery("SELECT count(*) FROM externalised_files")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private int ledgerCount(String outcome) throws Exception {
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/lp-archiver.db"));
        ResultSet rs =
            db.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM deliveries WHERE outcome = '" + outcome + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String config(LivePersonSimulator sim, GraphSimulator graph, long limit) {
    return GraphTestConfig.yaml(sim, graph, 31, "    maxAttachmentSize: " + limit + "\n");
  }
}
