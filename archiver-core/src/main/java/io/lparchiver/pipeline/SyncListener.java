package io.lparchiver.pipeline;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.Window;
import java.time.Duration;
import java.util.Optional;

/**
 * Observes a sync as it goes, e.g. for metrics or alerts. Called on the sync's thread, in order;
 * implementations must be quick and must not throw. Every method does nothing by default.
 */
public interface SyncListener {

  /** A run was recorded and starts. */
  default void runStarted(long runId) {}

  /**
   * The run will read {@code windows} windows of {@code channel}; called once per channel before
   * its first window, so a progress display can estimate the time left.
   */
  default void windowsPlanned(Channel channel, int windows) {}

  /** Every conversation of {@code window} was delivered or dead-lettered. */
  default void windowDone(Channel channel, Window window) {}

  /** A closed conversation (version) was read from LivePerson for the first time in this run. */
  default void conversationFound() {}

  /** An email of {@code bytes} was rendered for the mailboxes that lacked it. */
  default void emailRendered(long bytes) {}

  /** A copy of {@code bytes} was written to {@code mailbox}. */
  default void delivered(Mailbox mailbox, long bytes) {}

  /** A copy was not written again: the ledger or the target had it. */
  default void duplicate() {}

  /** A conversation or copy was dead-lettered; {@code line} says which and why. */
  default void deadLettered(String line) {}

  /**
   * The run ended after {@code took}; {@code failure} is present when it stopped early (the report
   * then holds what was done until then).
   */
  default void runFinished(SyncReport report, Duration took, Optional<Exception> failure) {}

  /**
   * Asked between conversations: true ends the run there (it is recorded as stopped, exit code 130,
   * and the window's checkpoint is not moved, so the next run resumes).
   */
  default boolean stopRequested() {
    return false;
  }

  /** A listener that ignores everything. */
  static SyncListener none() {
    return new SyncListener() {};
  }
}
