package io.lparchiver.app;

import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulate}: runs a built-in simulator so {@code sync} can be tried without an account. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Runs a built-in simulator on 127.0.0.1.",
    subcommands = {SimulateCommand.LivePerson.class})
final class SimulateCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code simulate liveperson}. */
  @Command(
      name = "liveperson",
      mixinStandardHelpOptions = true,
      description =
          "Serves the LivePerson Domain, Messaging Interactions and Users APIs with seeded data until stopped (Ctrl-C).")
  static final class LivePerson implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--port",
        defaultValue = "8090",
        description = "Port on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Mixin SimulatorOptions simulator;

    @Option(
        names = "--signing-latency-ms",
        defaultValue = "0",
        description =
            "Milliseconds the messaging websocket takes to answer each file-signing request, as"
                + " over a network (the benchmark's A/B of signing). Default: ${DEFAULT-VALUE}.")
    long signingLatencyMs;

    @Override
    public Integer call() throws InterruptedException {
      if (signingLatencyMs < 0) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--signing-latency-ms must be 0 or more, not " + signingLatencyMs);
      }
      PrintWriter out = spec.commandLine().getOut();
      Clock clock = Clock.systemUTC();
      SeededDataSet data =
          SeededDataSet.generate(
              simulator.dataSet(clock.instant().truncatedTo(ChronoUnit.MINUTES)));
      SimulatorCredentials creds = SimulatorCredentials.demo();
      try (LivePersonSimulator sim =
          LivePersonSimulator.builder()
              .port(port)
              .credentials(creds)
              .dataSet(data)
              .faults(simulator.simulatorFaults())
              .signingLatency(java.time.Duration.ofMillis(signingLatencyMs))
              .clock(clock)
              .build()
              .start()) {
        out.println(
            "LivePerson simulator on "
                + sim.domainApiUri()
                + " (account "
                + sim.account()
                + ", "
                + data.closedConversationIds().size()
                + " closed conversations, "
                + data.chatIds().size()
                + " chats"
                + (data.spec().largeFilePercent() > 0
                    ? ", " + sim.conversationsWithLargeFiles() + " with a large file"
                    : "")
                + "). Config for sync:");
        out.println();
        out.print(
            DemoCommand.configYaml(
                sim,
                creds,
                "./archive",
                "./state",
                "",
                clock.instant().minus(61, ChronoUnit.DAYS)));
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
        stopped.await();
      }
      return Main.OK;
    }
  }
}
