package io.lparchiver.deliver.graph;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Graph's request budget per app and mailbox (10,000 requests per 10 minutes): a request is let
 * through only when fewer than the budget were let through for that mailbox in the window before
 * it, so the service never has to throttle us for it.
 *
 * <p>Counts are kept in 100 slots per window (a few hundred bytes per mailbox rather than one
 * timestamp per request). The slot a window starts in is counted whole, which errs on the safe
 * side: the real count in any window is never above the budget. Hand-written rather than
 * resilience4j's RateLimiter, whose fixed refresh periods allow up to twice the budget across a
 * period boundary and whose clock cannot be injected. Thread-safe.
 */
final class RequestBudget {

  private static final int SLOTS = 100;

  private final int budget;
  private final long slotNanos;
  private final Clock clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * @param budget requests per window and mailbox
   * @param window e.g. 10 minutes
   */
  RequestBudget(int budget, Duration window, Clock clock) {
    if (budget < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "the Graph request budget must be at least 1 request per positive window");
    }
    this.budget = budget;
    this.slotNanos = Math.max(1, window.toNanos() / SLOTS);
    this.clock = clock;
  }

  /**
   * Takes one request from the mailbox's budget if there is one left: zero when the request may go
   * now (and is counted), else how long to wait before asking again.
   */
  Duration tryTake(String mailbox) {
    long slot = nanos() / slotNanos;
    Window w = windows.computeIfAbsent(mailbox, k -> new Window());
    synchronized (w) {
      w.advance(slot);
      if (w.total < budget) {
        w.counts[(int) (slot % (SLOTS + 1))]++;
        w.total++;
        return Duration.ZERO;
      }
      // the oldest counted slot leaves the window at the start of slot + 1
      long now = nanos();
      return Duration.ofNanos(Math.max(1, (slot + 1) * slotNanos - now));
    }
  }

  /** Waits until the mailbox's budget allows one more request, then counts it. */
  void take(String mailbox) throws InterruptedException {
    for (Duration wait = tryTake(mailbox); !wait.isZero(); wait = tryTake(mailbox)) {
      Thread.sleep(Math.max(1, wait.toMillis()));
    }
  }

  private long nanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * A ring of SLOTS + 1 counters: the current slot and the SLOTS before it, so any window that ends
   * now lies within the counted slots.
   */
  private static final class Window {
    final int[] counts = new int[SLOTS + 1];
    long current = Long.MIN_VALUE;
    int total;

    void advance(long slot) {
      if (current == Long.MIN_VALUE || slot - current > SLOTS) {
        java.util.Arrays.fill(counts, 0);
        total = 0;
      } else {
        for (long s = current + 1; s <= slot; s++) {
          int i = (int) (s % (SLOTS + 1));
          total -= counts[i];
          counts[i] = 0;
        }
      }
      current = Math.max(current, slot);
    }
  }
}
