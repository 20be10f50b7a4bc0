package io.lparchiver.state;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of walking the audit hash chain.
 *
 * @param intact true when every entry links to its predecessor and hashes to its stored hash
 * @param entries entries checked (up to and including the first broken one)
 * @param firstBrokenEntry a description of the first broken entry, e.g. "seq 42 (delivery ...):
 *     hash does not match the row: the row was changed"
 */
public record AuditVerification(boolean intact, long entries, Optional<String> firstBrokenEntry) {

  public AuditVerification {
    Objects.requireNonNull(firstBrokenEntry, "firstBrokenEntry");
  }
}
