package io.lparchiver.state;

import java.time.Instant;
import java.util.Objects;

/**
 * An agent or bot that mapped to no mailbox, so their conversations went to the fallback mailbox.
 *
 * @param participantId the LivePerson participant (user) id
 * @param role agent, bot, ...
 * @param displayName the name in the latest such conversation
 * @param conversations how many distinct conversations went to the fallback because of them
 * @param lastSeen start of the latest such conversation
 */
public record UnmappedParticipant(
    String participantId, String role, String displayName, long conversations, Instant lastSeen) {

  public UnmappedParticipant {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(lastSeen, "lastSeen");
  }
}
