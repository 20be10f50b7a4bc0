package io.lparchiver.app;

import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.Faults;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The simulated LivePerson account's options, shared by {@code demo} and {@code simulate}. */
final class SimulatorOptions {

  @Option(
      names = "--conversations",
      defaultValue = "200",
      description = "Conversations to simulate. Default: ${DEFAULT-VALUE}.")
  int conversations;

  @Option(
      names = "--agents",
      defaultValue = "5",
      description = "Agents in the Users API. Default: ${DEFAULT-VALUE}.")
  int agents;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the simulated data. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--faults",
      description =
          "Let the simulator inject throttling, errors, partial pages and dropped connections.")
  boolean faults;

  @Option(
      names = "--large-file-percent",
      defaultValue = "0",
      description =
          "Percent of hosted files that are 100 KB to 3 MB instead of at most 64 KB (the benchmark"
              + " uses this for its share of conversations with a large file)."
              + " Default: ${DEFAULT-VALUE}.")
  int largeFilePercent;

  /** Conversations over the 60 days before {@code now}, plus 40 legacy chats. */
  DataSetSpec dataSet(Instant now) {
    return new DataSetSpec(conversations, agents, seed, now, 60)
        .withChats(40)
        .withLargeFiles(largeFilePercent);
  }

  Faults simulatorFaults() {
    return faults ? Faults.standard() : Faults.none();
  }
}
