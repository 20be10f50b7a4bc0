package io.lparchiver.sim.graph;

/**
 * What the simulator refused or injected so far.
 *
 * @param throttled seeded 429 {@code ApplicationThrottled}
 * @param concurrencyRejections 429 {@code MailboxConcurrency}: a fifth request in flight
 * @param serviceUnavailable seeded 503
 * @param droppedConnections seeded connection drops after the write
 * @param unauthorized 401 for a missing, unknown or expired token
 * @param tokensIssued access tokens issued
 * @param stalledResponses responses held past the client's timeout, then cut
 */
public record GraphCounters(
    int throttled,
    int concurrencyRejections,
    int serviceUnavailable,
    int droppedConnections,
    int unauthorized,
    int tokensIssued,
    int stalledResponses) {}
