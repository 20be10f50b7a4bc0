package io.lparchiver.app.server;

import io.lparchiver.state.DailyActivity;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.RunRecord;
import io.lparchiver.state.UnmappedParticipant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the status page shows, read at one moment.
 *
 * @param now when it was read
 * @param health the connector state
 * @param lastRun the last recorded run
 * @param running whether a sync is going on now
 * @param nextRun when the next sync is due, empty when not scheduled
 * @param lag now minus the start time up to which conversations are archived
 * @param days the last days, oldest first
 * @param deadLetters open dead letters, oldest first
 * @param target where copies go, for the page header
 * @param unmappedParticipants agents and bots whose conversations went to the fallback mailbox
 */
public record StatusSnapshot(
    Instant now,
    Health health,
    Optional<RunRecord> lastRun,
    boolean running,
    Optional<Instant> nextRun,
    Optional<Duration> lag,
    List<DailyActivity> days,
    List<DeadLetter> deadLetters,
    String target,
    List<UnmappedParticipant> unmappedParticipants) {

  public StatusSnapshot {
    days = List.copyOf(days);
    unmappedParticipants = List.copyOf(unmappedParticipants);
    deadLetters = List.copyOf(deadLetters);
  }
}
