package io.lparchiver.app;

import io.lparchiver.app.server.Alerts;
import io.lparchiver.app.server.ArchiverMetrics;
import io.lparchiver.app.server.StatusReader;
import io.lparchiver.app.server.StatusServer;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.Secret;
import io.lparchiver.state.StateStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run}: the always-on service: scheduled syncs plus the status page. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Syncs every schedule.interval (or at schedule.cron times), one run at a time, and serves"
          + " the status page, /api/status, /metrics, /healthz and /readyz on server.bind.",
      "Stops cleanly on SIGTERM or Ctrl-C: the current conversation finishes first."
    })
final class RunCommand implements Callable<Integer> {

  static final Duration GRACE = Duration.ofSeconds(30);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ConfigFile config;

  @Option(
      names = "--max-runs",
      hidden = true,
      description = "Stop after this many runs (for tests and trials); 0: never.")
  int maxRuns;

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    ArchiverConfig cfg = config.load();
    PrintWriter out = spec.commandLine().getOut();
    try (Archiver archiver = Archiver.open(cfg, clock, true);
        StateStore reader = StateStore.openReadOnly(cfg.state().dir(), clock)) {
      Holder holder = new Holder();
      StatusReader status =
          new StatusReader(
              reader,
              cfg.source().liveperson().channels(),
              holder,
              cfg.alerts().maxLag(),
              archiver.describeTarget(),
              clock);
      ArchiverMetrics metrics =
          new ArchiverMetrics(
              () ->
                  status.lag(clock.instant()).map(d -> (double) d.getSeconds()).orElse(Double.NaN),
              () -> (double) reader.counts().openDeadLetters());
      SyncService service =
          new SyncService(
              archiver::syncJob,
              cfg.schedule(),
              metrics,
              Alerts.from(cfg.alerts(), clock),
              () -> status.lag(clock.instant()),
              reader,
              secrets(cfg),
              clock,
              maxRuns);
      holder.service = service;
      try (StatusServer server =
          StatusServer.start(
              cfg.server().bind(),
              cfg.server().token(),
              status,
              reader,
              metrics,
              service::requestRetry,
              cfg.target().folder())) {
        out.println("lp-archiver running: status page http://" + server.hostAndPort() + "/");
        out.println(
            "Syncing "
                + cfg.schedule()
                    .cron()
                    .map(c -> "at cron \"" + c + "\" (UTC)")
                    .orElse("every " + cfg.schedule().interval())
                + " into "
                + archiver.describeTarget()
                + ". Stop with SIGTERM or Ctrl-C.");
        out.flush();
        Thread hook = new Thread(() -> stopQuietly(service), "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        service.start();
        while (!service.awaitStopped(Duration.ofHours(1))) {
          // the service runs until stopped
        }
        removeHook(hook);
      }
      out.println("lp-archiver stopped.");
      out.flush();
      return Main.OK;
    }
  }

  /** The status reader is made before the service it asks; this breaks the cycle. */
  private static final class Holder implements StatusReader.Schedule {
    volatile SyncService service;

    @Override
    public boolean running() {
      return service != null && service.running();
    }

    @Override
    public Optional<java.time.Instant> nextRun() {
      return service == null ? Optional.empty() : service.nextRun();
    }

    @Override
    public Optional<String> lastFailure() {
      return service == null ? Optional.empty() : service.lastFailure();
    }
  }

  private static List<Secret> secrets(ArchiverConfig cfg) {
    List<Secret> s = new ArrayList<>();
    s.add(cfg.source().liveperson().auth().consumerSecret());
    s.add(cfg.source().liveperson().auth().tokenSecret());
    cfg.server().token().ifPresent(s::add);
    s.add(cfg.alerts().email().password());
    return s;
  }

  private static void stopQuietly(SyncService service) {
    try {
      service.stop(GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs and finds the service stopped
    }
  }
}
