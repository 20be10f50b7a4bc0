package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code demo} and {@code simulate liveperson} describe the simulated account the same way. */
class SimulatorOptionsTest {

  @Test
  void demoAndSimulateShareTheSimulatorOptionsAndDefaults() {
    CommandLine cli = new CommandLine(new Main());
    CommandLine demo = cli.getSubcommands().get("demo");
    CommandLine simulate = cli.getSubcommands().get("simulate").getSubcommands().get("liveperson");
    for (String name : List.of("--conversations", "--agents", "--seed", "--faults")) {
      OptionSpec a = demo.getCommandSpec().findOption(name);
      OptionSpec b = simulate.getCommandSpec().findOption(name);
      assertThat(a).as(name).isNotNull();
      assertThat(b).as(name).isNotNull();
      assertThat(a.defaultValue()).as(name).isEqualTo(b.defaultValue());
      assertThat(a.description()).as(name).isEqualTo(b.description());
    }
    DemoCommand command = new DemoCommand();
    new CommandLine(command)
        .parseArgs("--conversations", "7", "--agents", "2", "--seed", "9", "--faults");
    SimulatorOptions parsed = command.simulator;
    assertThat(parsed.dataSet(java.time.Instant.EPOCH).conversations()).isEqualTo(7);
    assertThat(parsed.faults).isTrue();
  }

  @Test
  void aNegativeSigningLatencyIsAUsageErrorNamingTheOption() {
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = new CommandLine(new Main()).setErr(new java.io.PrintWriter(err));
    int exit = cli.execute("simulate", "liveperson", "--port", "0", "--signing-latency-ms", "-5");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--signing-latency-ms must be 0 or more, not -5");
  }
}
