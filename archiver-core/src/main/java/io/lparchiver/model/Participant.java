package io.lparchiver.model;

import java.time.Instant;
import java.util.Optional;

/**
 * Someone who took part in a conversation, as LivePerson reported them. All strings are untrusted
 * and already stripped of LivePerson's sentinel values ("undefined", "null").
 *
 * @param id LivePerson participant id: agent user id (or pid) for agents, consumer id for consumers
 * @param role what the participant is
 * @param displayName the best human name known (nickname, full name, consumer name), may be empty
 * @param loginName agent login name when known
 * @param email an email LivePerson holds for the participant (agent profile, consumer SDE)
 * @param joined when the participant joined, when known
 * @param left when the participant left, when known
 */
public record Participant(
    String id,
    Role role,
    String displayName,
    Optional<String> loginName,
    Optional<String> email,
    Optional<Instant> joined,
    Optional<Instant> left) {

  public Participant {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("participant id must not be blank");
    }
    displayName = displayName == null ? "" : displayName;
  }
}
