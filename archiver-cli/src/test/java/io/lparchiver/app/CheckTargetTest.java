package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} tries the target for each mailbox the config names, as a sync would first. */
class CheckTargetTest {

  private static final String FALLBACK = "compliance-archive@brand.example";
  private static final String FOLDER = "LivePerson Conversational Cloud DataParser";

  @TempDir Path dir;

  @Test
  void microsoft365TargetIsTriedAndEachFailureSaysWhatToFix() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    try (LivePersonSimulator sim =
            LivePersonSimulator.builder()
                .port(0)
                .credentials(SimulatorCredentials.demo())
                .dataSet(SeededDataSet.generate(new DataSetSpec(5, 2, 5, now, 3)))
                .faults(Faults.none())
                .build()
                .start();
        GraphSimulator tenant =
            GraphSimulator.builder().user(GraphUser.of(FALLBACK)).build().start();
        GraphSimulator emptyTenant = GraphSimulator.builder().build().start()) {
      Path config = dir.resolve("lp-archiver.yaml");
      Files.writeString(config, graphConfig(sim, tenant));

      String good = check(config, 0);
      assertThat(good)
          .contains("[ok]   target graph: " + FALLBACK)
          .contains("folder '" + FOLDER + "' present")
          .doesNotContain(GraphSimulator.DEMO_CLIENT_SECRET);
      assertThat(tenant.mailbox(FALLBACK).orElseThrow().messagesInInboxChild(FOLDER)).isEmpty();

      tenant.mailReadWrite(false);
      assertThat(check(config, 2))
          .contains("[FAIL] target graph: " + FALLBACK)
          .contains("Mail.ReadWrite");

      Files.writeString(config, graphConfig(sim, emptyTenant));
      assertThat(check(config, 2))
          .contains("[FAIL] target graph: " + FALLBACK)
          .contains("no user or alias in the tenant");
    }
  }

  private static String check(Path config, int expectedExit) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "check",
            "--config",
            config.toString());
    assertThat(exit).as(out + "\n" + err).isEqualTo(expectedExit);
    return out.toString();
  }

  private static String graphConfig(LivePersonSimulator sim, GraphSimulator graph) {
    return GraphTestConfig.yaml(sim, graph, 5, "");
  }
}
