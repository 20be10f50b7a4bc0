package io.lparchiver.state;

import io.lparchiver.model.Channel;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One line of the downloadable log: a ledger delivery or a dead letter.
 *
 * @param at when the copy was confirmed, or the dead letter's last failure
 * @param runId the run that was going on at that time, when known
 * @param channel messaging or chat
 * @param conversationId the LivePerson conversation id
 * @param version the conversation version, 0 when not known (fetch, parse, map failures)
 * @param mailbox the mailbox address, "" when the failure is not per mailbox
 * @param outcome what happened
 * @param bytes email size, 0 for dead letters
 * @param emailSha256 SHA-256 of the email, "" for dead letters
 * @param targetItemId the target's id of the copy, "" when none
 * @param reason why it failed, "" for deliveries
 */
public record LogEntry(
    Instant at,
    OptionalLong runId,
    Channel channel,
    String conversationId,
    int version,
    String mailbox,
    Outcome outcome,
    long bytes,
    String emailSha256,
    String targetItemId,
    String reason) {

  /** The log's outcome column. */
  public enum Outcome {
    IMPORTED,
    DUPLICATE,
    EXTERNALISED,
    FAILED,
    UNMAPPED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Outcome of(DeliveryRecord.Outcome ledger) {
      return switch (ledger) {
        case DELIVERED -> IMPORTED;
        case FOUND_ON_TARGET -> DUPLICATE;
        case EXTERNALISED -> EXTERNALISED;
      };
    }
  }

  public LogEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(outcome, "outcome");
    mailbox = mailbox == null ? "" : mailbox;
    emailSha256 = emailSha256 == null ? "" : emailSha256;
    targetItemId = targetItemId == null ? "" : targetItemId;
    reason = reason == null ? "" : reason;
  }
}
