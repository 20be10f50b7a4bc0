package io.lparchiver.app;

import io.lparchiver.app.server.Alerts;
import io.lparchiver.app.server.StatusReader;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.Secret;
import io.lparchiver.model.Mailbox;
import io.lparchiver.pipeline.SyncJob;
import io.lparchiver.pipeline.SyncListener;
import io.lparchiver.pipeline.SyncReport;
import io.lparchiver.state.DailyActivity;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of {@code run}: one sync at a time on one thread, every {@code schedule.interval}
 * (from the start of the previous run) or at each {@code schedule.cron} time. A stop lets the
 * current conversation finish, then ends the run between two conversations; each copy was recorded
 * after it was durable, so the ledger stays consistent and the next run resumes.
 */
final class SyncService implements StatusReader.Schedule {

  private static final Logger log = LoggerFactory.getLogger(SyncService.class);

  private final Supplier<SyncJob> job;
  private final ArchiverConfig.Schedule schedule;
  private final SyncListener metrics;
  private final Alerts alerts;
  private final Supplier<Optional<Duration>> lag;
  private final StateStore reader;
  private final List<Secret> secrets;
  private final Clock clock;
  private final int maxRuns;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sync");
            t.setDaemon(false);
            return t;
          });
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean retryQueued = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running;
  private volatile Instant nextRun;
  private volatile String lastFailure;
  private volatile ScheduledFuture<?> next;
  private volatile Instant watchedSince;
  private int runs;

  /**
   * @param maxRuns stop after this many runs (tests); 0 for no limit
   */
  SyncService(
      Supplier<SyncJob> job,
      ArchiverConfig.Schedule schedule,
      SyncListener metrics,
      Alerts alerts,
      Supplier<Optional<Duration>> lag,
      StateStore reader,
      List<Secret> secrets,
      Clock clock,
      int maxRuns) {
    this.job = job;
    this.schedule = schedule;
    this.metrics = metrics;
    this.alerts = alerts;
    this.lag = lag;
    this.reader = reader;
    this.secrets = List.copyOf(secrets);
    this.clock = clock;
    this.maxRuns = maxRuns;
  }

  /** Schedules the first run now. */
  synchronized void start() {
    watchedSince = clock.instant();
    scheduleAt(clock.instant());
  }

  /** Stops scheduling, lets the current run end between two conversations, waits up to grace. */
  void stop(Duration grace) throws InterruptedException {
    if (stopping.compareAndSet(false, true)) {
      log.info("Stopping: no new runs; the current run ends after its current conversation");
    }
    ScheduledFuture<?> pending = next;
    if (pending != null) {
      pending.cancel(false);
    }
    executor.shutdown();
    if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("The run did not end within {}; interrupting it", grace);
      executor.shutdownNow();
      executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    }
    stopped.countDown();
  }

  /** Waits until stopped (by {@link #stop} or after {@code maxRuns}); false on timeout. */
  boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Queues every open dead letter for the next run, which starts now if none is running. */
  int requestRetry() {
    int open = reader.openDeadLetters().size();
    if (open > 0 && retryQueued.compareAndSet(false, true)) {
      synchronized (this) {
        ScheduledFuture<?> pending = next;
        if (!running && pending != null && pending.cancel(false)) {
          scheduleAt(clock.instant());
        }
      }
    }
    return open;
  }

  @Override
  public boolean running() {
    return running;
  }

  @Override
  public Optional<Instant> nextRun() {
    return stopping.get() ? Optional.empty() : Optional.ofNullable(nextRun);
  }

  @Override
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  private synchronized void scheduleAt(Instant when) {
    if (stopping.get()) {
      return;
    }
    long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis());
    nextRun = when;
    next = executor.schedule(this::runOnce, delay, TimeUnit.MILLISECONDS);
  }

  private void runOnce() {
    Instant started = clock.instant();
    running = true;
    SyncListener listener = listener();
    Optional<String> failure = Optional.empty();
    int deadLetters = 0;
    try {
      SyncJob sync = job.get();
      if (retryQueued.getAndSet(false)) {
        List<DeadLetter> open = reader.openDeadLetters();
        log.info("Retrying {} open dead letters by conversation id", open.size());
        deadLetters += sync.retry(open, listener).deadLetters();
      }
      SyncReport report =
          sync.run(new SyncJob.Options(Optional.empty(), false), SyncJob.Progress.none(), listener);
      deadLetters += report.deadLetters();
      lastFailure = null;
      log.info(
          "Run done: {} conversations, {} copies written, {} duplicates, {} dead letters",
          report.conversations(),
          report.deliveries(),
          report.duplicates(),
          report.deadLetters());
    } catch (InterruptedException e) {
      log.info("Run stopped: {}", e.getMessage());
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      lastFailure = mask(String.valueOf(e.getMessage()));
      failure = Optional.of(lastFailure);
      log.error("Run failed: {}", lastFailure);
    } finally {
      running = false;
    }
    alerts.afterRun(failure, deadLetters, lag.get());
    LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
    long found =
        reader.dailyActivity(yesterday, yesterday).stream().mapToLong(DailyActivity::found).sum();
    alerts.afterDay(yesterday, found, watchedSince);
    runs++;
    if (maxRuns > 0 && runs >= maxRuns) {
      stopping.set(true);
      executor.shutdown();
      stopped.countDown();
      return;
    }
    scheduleAt(retryQueued.get() ? clock.instant() : nextAfter(started));
  }

  private Instant nextAfter(Instant started) {
    if (schedule.cron().isPresent()) {
      return schedule.cron().get().next(clock.instant().atZone(ZoneOffset.UTC)).toInstant();
    }
    Instant due = started.plus(schedule.interval());
    Instant now = clock.instant();
    return due.isBefore(now) ? now : due;
  }

  private SyncListener listener() {
    SyncListener m = metrics;
    AtomicBoolean stop = stopping;
    return new SyncListener() {
      @Override
      public void conversationFound() {
        m.conversationFound();
      }

      @Override
      public void emailRendered(long bytes) {
        m.emailRendered(bytes);
      }

      @Override
      public void delivered(Mailbox mailbox, long bytes) {
        m.delivered(mailbox, bytes);
      }

      @Override
      public void duplicate() {
        m.duplicate();
      }

      @Override
      public void deadLettered(String line) {
        m.deadLettered(line);
      }

      @Override
      public void runFinished(SyncReport report, Duration took, Optional<Exception> failure) {
        m.runFinished(report, took, failure);
      }

      @Override
      public boolean stopRequested() {
        return stop.get();
      }
    };
  }

  /** Configured secrets never reach the page, the log or an alert. */
  private String mask(String text) {
    String out = text;
    for (Secret s : secrets) {
      if (!s.isBlank()) {
        out = out.replace(s.reveal(), "****");
      }
    }
    return out;
  }
}
