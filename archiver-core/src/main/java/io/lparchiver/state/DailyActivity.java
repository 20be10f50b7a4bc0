package io.lparchiver.state;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What happened on one UTC day, for the status page.
 *
 * @param day the UTC day
 * @param found conversations read from LivePerson by the runs started that day
 * @param imported copies written (ledger outcome delivered)
 * @param duplicates copies not written again because the ledger or the target had them (runs)
 * @param externalised copies written with oversize parts stored outside (ledger outcome)
 * @param failed dead letters first recorded that day at any stage but mapping
 * @param unmapped dead letters first recorded that day because nobody mapped to a mailbox
 */
public record DailyActivity(
    LocalDate day,
    long found,
    long imported,
    long duplicates,
    long externalised,
    long failed,
    long unmapped) {

  public DailyActivity {
    Objects.requireNonNull(day, "day");
  }

  static DailyActivity empty(LocalDate day) {
    return new DailyActivity(day, 0, 0, 0, 0, 0, 0);
  }

  /** Copies due after fan-out to mailboxes: everything that had an outcome but unmapped. */
  public long afterFanOut() {
    return imported + duplicates + externalised + failed;
  }
}
