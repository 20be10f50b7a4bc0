package io.lparchiver.model;

import java.util.Optional;

/**
 * How one participant was mapped, kept for the dry run and the log.
 *
 * @param participantId the LivePerson participant
 * @param rule which rule decided (csv, users-api, consumer-email, fallback, none)
 * @param mailbox the mailbox the participant maps to, if any
 * @param address the address shown for the participant in the email
 */
public record MappingDecision(
    String participantId, String rule, Optional<Mailbox> mailbox, String address) {}
