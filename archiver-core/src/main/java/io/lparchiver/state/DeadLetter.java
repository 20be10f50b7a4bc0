package io.lparchiver.state;

import io.lparchiver.model.Channel;
import io.lparchiver.model.DeadLetterStage;
import java.time.Instant;
import java.util.Objects;

/**
 * A conversation (or one of its mailbox copies) that could not go on at some stage; retried by
 * {@code retry}, shown by {@code status}.
 *
 * @param account LivePerson account
 * @param channel messaging or chat
 * @param conversationId conversation or engagement id
 * @param version the version concerned, 0 when not known yet (e.g. fetch or parse failures)
 * @param mailbox the mailbox address concerned, "" when the failure is not per mailbox
 * @param stage where it failed
 * @param reason the last reason (secrets are redacted before it is stored)
 * @param attempts how many times it has failed while open
 * @param firstAt first failure
 * @param lastAt last failure
 */
public record DeadLetter(
    String account,
    Channel channel,
    String conversationId,
    int version,
    String mailbox,
    DeadLetterStage stage,
    String reason,
    int attempts,
    Instant firstAt,
    Instant lastAt) {

  public DeadLetter {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(firstAt, "firstAt");
    Objects.requireNonNull(lastAt, "lastAt");
    mailbox = mailbox == null ? "" : mailbox;
    reason = reason == null ? "" : reason;
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, was " + version);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
    }
  }

  /** A first failure, as the pipeline reports it. */
  public static DeadLetter of(
      String account,
      Channel channel,
      String conversationId,
      int version,
      String mailbox,
      DeadLetterStage stage,
      String reason,
      Instant now) {
    return new DeadLetter(
        account, channel, conversationId, version, mailbox, stage, reason, 1, now, now);
  }
}
