package io.lparchiver.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One run as recorded; a run that crashed has no finish.
 *
 * @param id run id
 * @param command the CLI command, e.g. "sync"
 * @param started when it started
 * @param finished when it finished, empty while running or after a crash
 * @param summary what it did, empty while running or after a crash
 */
public record RunRecord(
    long id,
    String command,
    Instant started,
    Optional<Instant> finished,
    Optional<RunSummary> summary) {

  public RunRecord {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(finished, "finished");
    Objects.requireNonNull(summary, "summary");
  }
}
