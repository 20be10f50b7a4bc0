package io.lparchiver.app.server;

import io.lparchiver.model.Mailbox;
import io.lparchiver.pipeline.SyncListener;
import io.lparchiver.pipeline.SyncReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Prometheus metrics of the running service, fed by the sync as a {@link SyncListener}. Labels
 * carry outcomes only: never mailbox addresses, ids or tokens.
 */
public final class ArchiverMetrics implements SyncListener {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter conversations;
  private final Counter emails;
  private final Counter imported;
  private final Counter duplicates;
  private final Counter bytes;
  private final Counter deadLetters;
  private final Counter runsOk;
  private final Counter runsFailed;
  private final Timer runDuration;
  private final AtomicLong lastRunSuccess = new AtomicLong();

  /**
   * @param lagSeconds checkpoint lag read at scrape time; NaN when there is no checkpoint yet
   * @param openDeadLetters open dead letters read at scrape time
   */
  public ArchiverMetrics(Supplier<Double> lagSeconds, Supplier<Double> openDeadLetters) {
    conversations =
        Counter.builder("lparchiver_conversations_fetched")
            .description("Closed conversation versions read from LivePerson")
            .register(registry);
    emails =
        Counter.builder("lparchiver_emails_rendered")
            .description("Archive emails rendered")
            .register(registry);
    imported = deliveries("imported");
    duplicates = deliveries("duplicate");
    deadLetters = deliveries("failed");
    bytes =
        Counter.builder("lparchiver_delivered_bytes")
            .description("Bytes of the copies written")
            .baseUnit("bytes")
            .register(registry);
    runsOk = runs("ok");
    runsFailed = runs("failed");
    runDuration =
        Timer.builder("lparchiver_run_duration")
            .description("Duration of a sync run")
            .register(registry);
    Gauge.builder("lparchiver_checkpoint_lag_seconds", lagSeconds, Supplier::get)
        .description("Now minus the start time up to which conversations are archived")
        .register(registry);
    Gauge.builder("lparchiver_dead_letters_open", openDeadLetters, Supplier::get)
        .description("Dead letters not resolved yet")
        .register(registry);
    Gauge.builder("lparchiver_last_run_success", lastRunSuccess, AtomicLong::get)
        .description("1 when the last run ended without failing, else 0")
        .register(registry);
  }

  private Counter deliveries(String outcome) {
    return Counter.builder("lparchiver_deliveries")
        .description("Copies by outcome (failed counts dead letters)")
        .tag("outcome", outcome)
        .register(registry);
  }

  private Counter runs(String result) {
    return Counter.builder("lparchiver_runs")
        .description("Sync runs by result")
        .tag("result", result)
        .register(registry);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void conversationFound() {
    conversations.increment();
  }

  @Override
  public void emailRendered(long size) {
    emails.increment();
  }

  @Override
  public void delivered(Mailbox mailbox, long size) {
    imported.increment();
    bytes.increment(size);
  }

  @Override
  public void duplicate() {
    duplicates.increment();
  }

  @Override
  public void deadLettered(String line) {
    deadLetters.increment();
  }

  @Override
  public void runFinished(SyncReport report, Duration took, Optional<Exception> failure) {
    runDuration.record(took);
    (failure.isPresent() ? runsFailed : runsOk).increment();
    lastRunSuccess.set(failure.isPresent() ? 0 : 1);
  }
}
