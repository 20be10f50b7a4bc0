package io.lparchiver.pipeline;

import io.lparchiver.model.Conversation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which conversations a run archives: every closed one, and an open one once it started longer ago
 * than {@code archive.openSnapshotAfter} (an interim version; its fingerprint changes when it
 * changes or closes, which makes the next version). Younger open ones wait: they change too often
 * to be worth a version each.
 *
 * @param interimAfter the age after which an open conversation is archived; empty: closed only
 */
public record OpenSnapshots(Optional<Duration> interimAfter) {

  public static OpenSnapshots off() {
    return new OpenSnapshots(Optional.empty());
  }

  public boolean enabled() {
    return interimAfter.isPresent();
  }

  public boolean archives(Conversation c, Instant now) {
    return c.isClosed()
        || interimAfter.map(age -> c.start().isBefore(now.minus(age))).orElse(false);
  }
}
