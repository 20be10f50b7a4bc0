package io.lparchiver.app.server;

import io.lparchiver.model.Channel;
import io.lparchiver.pipeline.WindowPlanner;
import io.lparchiver.state.LedgerCounts;
import io.lparchiver.state.RunRecord;
import io.lparchiver.state.RunSummary;
import io.lparchiver.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Reads a {@link StatusSnapshot} from the state (a read-only store) and the scheduler. */
public final class StatusReader {

  /** The page and /api/status list this many unmapped participants, most conversations first. */
  static final int UNMAPPED_SHOWN = 100;

  static final int DAYS = 30;

  /** What only the running service knows. */
  public interface Schedule {
    boolean running();

    Optional<Instant> nextRun();

    /** The last run's failure, secrets masked; empty when it did not fail in this process. */
    Optional<String> lastFailure();

    static Schedule none() {
      return new Schedule() {
        @Override
        public boolean running() {
          return false;
        }

        @Override
        public Optional<Instant> nextRun() {
          return Optional.empty();
        }

        @Override
        public Optional<String> lastFailure() {
          return Optional.empty();
        }
      };
    }
  }

  private final StateStore state;
  private final List<Channel> channels;
  private final Schedule schedule;
  private final Duration maxLag;
  private final String target;
  private final Clock clock;

  public StatusReader(
      StateStore state,
      List<Channel> channels,
      Schedule schedule,
      Duration maxLag,
      String target,
      Clock clock) {
    this.state = state;
    this.channels = List.copyOf(channels);
    this.schedule = schedule;
    this.maxLag = maxLag;
    this.target = target;
    this.clock = clock;
  }

  public StatusSnapshot read() {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Optional<RunRecord> last = state.lastRun();
    boolean running = schedule.running();
    Optional<Duration> lag = lag(now);
    LedgerCounts counts = state.counts();
    return new StatusSnapshot(
        now,
        health(last, running, counts.openDeadLetters(), lag),
        last,
        running,
        schedule.nextRun(),
        lag,
        state.dailyActivity(today.minusDays(DAYS - 1L), today),
        state.openDeadLetters(),
        target,
        state.unmappedParticipants(UNMAPPED_SHOWN));
  }

  /** Now minus the oldest start cursor of the configured channels; empty before the first run. */
  public Optional<Duration> lag(Instant now) {
    Optional<Instant> oldest = Optional.empty();
    for (Channel c : channels) {
      Optional<Instant> cursor = state.instantCheckpoint(WindowPlanner.startCursorName(c));
      if (cursor.isEmpty()) {
        return Optional.empty();
      }
      oldest = oldest.isEmpty() || cursor.get().isBefore(oldest.get()) ? cursor : oldest;
    }
    return oldest.map(
        o -> Duration.between(o, now).isNegative() ? Duration.ZERO : Duration.between(o, now));
  }

  Health health(
      Optional<RunRecord> last, boolean running, long openDeadLetters, Optional<Duration> lag) {
    if (last.isPresent()) {
      RunRecord run = last.get();
      if (run.finished().isEmpty() && !running) {
        return new Health(
            Health.Level.FAILING,
            "run #"
                + run.id()
                + " did not finish (the process stopped or crashed); the next run"
                + " resumes from the last checkpoint");
      }
      int exit = run.summary().map(RunSummary::exitCode).orElse(0);
      if (exit == 1 || exit == 2) {
        return new Health(
            Health.Level.FAILING,
            "run #"
                + run.id()
                + " failed (exit code "
                + exit
                + ")"
                + schedule.lastFailure().map(f -> ": " + f).orElse("")
                + (exit == 2
                    ? "; fix the configuration or permissions it names"
                    : "; the next" + " run retries from the last checkpoint"));
      }
    }
    if (openDeadLetters > 0) {
      return new Health(
          Health.Level.DEGRADED,
          openDeadLetters
              + " open dead letter"
              + (openDeadLetters == 1 ? "" : "s")
              + ": fix the reason shown below, then press Retry");
    }
    if (lag.isPresent() && lag.get().compareTo(maxLag) > 0) {
      return new Health(
          Health.Level.DEGRADED,
          "the checkpoint lags "
              + Format.duration(lag.get())
              + ", more than alerts.maxLag ("
              + Format.duration(maxLag)
              + ")");
    }
    return new Health(
        Health.Level.HEALTHY,
        last.isEmpty() ? "no run yet" : "the last run archived everything it found");
  }
}
