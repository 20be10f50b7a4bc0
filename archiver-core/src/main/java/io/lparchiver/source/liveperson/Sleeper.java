package io.lparchiver.source.liveperson;

import java.time.Duration;

/** Waits between retries; tests inject one that records the wait and returns at once. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps on the current thread. */
  static Sleeper system() {
    return duration -> Thread.sleep(duration.toMillis());
  }
}
