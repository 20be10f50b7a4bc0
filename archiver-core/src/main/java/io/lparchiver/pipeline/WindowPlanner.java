package io.lparchiver.pipeline;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Window;
import io.lparchiver.source.FetchRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans which windows a run fetches (ARCHITECTURE section 5): the backfill walks conversation start
 * times from the start cursor up to now, oldest first, moving the cursor after each window; from
 * the second run on, the range the cursor has passed is asked again for conversations updated since
 * the previous run (closed late, post-survey answers, masking), minus a safety lag.
 */
public final class WindowPlanner {

  /**
   * Windows of at most 90 days: LivePerson's Messaging Interactions API caps a search at 3 months.
   */
  static final Duration MAX_WINDOW = Duration.ofDays(90);

  /** LivePerson keeps history for 13 months; nothing older can be asked for. */
  static final int RETENTION_MONTHS = 13;

  /**
   * One fetch of the plan.
   *
   * @param request what to fetch
   * @param cursorAfter when present, the start cursor to save once every conversation of the
   *     request is delivered or dead-lettered
   */
  public record PlannedFetch(FetchRequest request, Optional<Instant> cursorAfter) {}

  public static String startCursorName(Channel channel) {
    return channel.label() + ".startCursor";
  }

  public static String lastRunName(Channel channel) {
    return channel.label() + ".lastRunStartedAt";
  }

  /** An explicit backfill range ({@code --from/--to}): re-read, checkpoints untouched. */
  public List<PlannedFetch> explicitRange(Window range) {
    return explicitRange(range, false);
  }

  /** An explicit range, asking for open conversations too when {@code includeOpen}. */
  public List<PlannedFetch> explicitRange(Window range, boolean includeOpen) {
    List<PlannedFetch> plan = new ArrayList<>();
    for (Window w : split(range)) {
      plan.add(new PlannedFetch(FetchRequest.of(w).withOpen(includeOpen), Optional.empty()));
    }
    return plan;
  }

  /**
   * The regular incremental plan.
   *
   * @param backfillFrom configured oldest start time
   * @param startCursor saved cursor, empty on the first run
   * @param lastRunStartedAt when the previous completed run started, empty on the first run
   * @param now this run's start
   * @param updateLag safety margin for the updated-since query
   */
  public List<PlannedFetch> incremental(
      Instant backfillFrom,
      Optional<Instant> startCursor,
      Optional<Instant> lastRunStartedAt,
      Instant now,
      Duration updateLag) {
    return incremental(
        backfillFrom, startCursor, lastRunStartedAt, now, updateLag, Optional.empty());
  }

  /**
   * The regular incremental plan, with interim versions of open conversations when {@code
   * interimAfter} is present: every fetch asks for OPEN conversations too, and the start times that
   * became older than {@code interimAfter} since the previous run are read once more. An open
   * conversation that was too young when its window was read and gets no update since would
   * otherwise never be returned again before it closes (updated-since finds only changes).
   */
  public List<PlannedFetch> incremental(
      Instant backfillFrom,
      Optional<Instant> startCursor,
      Optional<Instant> lastRunStartedAt,
      Instant now,
      Duration updateLag,
      Optional<Duration> interimAfter) {
    boolean open = interimAfter.isPresent();
    Instant retentionStart = now.atZone(ZoneOffset.UTC).minusMonths(RETENTION_MONTHS).toInstant();
    Instant oldest = later(backfillFrom, retentionStart);
    Instant cursor = later(oldest, startCursor.orElse(oldest));
    List<PlannedFetch> plan = new ArrayList<>();
    if (lastRunStartedAt.isPresent() && oldest.isBefore(cursor)) {
      Instant since = lastRunStartedAt.get().minus(updateLag);
      for (Window w : split(new Window(oldest, cursor))) {
        plan.add(new PlannedFetch(new FetchRequest(w, Optional.of(since), open), Optional.empty()));
      }
      if (open) {
        // started between (last run - lag - age) and (now - age): crossed the age since then
        Duration age = interimAfter.get();
        Instant from = later(oldest, lastRunStartedAt.get().minus(updateLag).minus(age));
        Instant to = earlier(cursor, now.minus(age));
        if (from.isBefore(to)) {
          for (Window w : split(new Window(from, to))) {
            plan.add(new PlannedFetch(FetchRequest.of(w).withOpen(true), Optional.empty()));
          }
        }
      }
    }
    if (cursor.isBefore(now)) {
      for (Window w : split(new Window(cursor, now))) {
        plan.add(new PlannedFetch(FetchRequest.of(w).withOpen(open), Optional.of(w.to())));
      }
    }
    return plan;
  }

  static List<Window> split(Window range) {
    return range.split(MAX_WINDOW);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
