package io.lparchiver.state;

/**
 * One audit chain entry exactly as stored: the texts the hash covers, unparsed.
 *
 * @param seq position in the chain, from 1, without gaps
 * @param at when it happened, as stored (ISO-8601 UTC, 9 fraction digits)
 * @param event what happened, e.g. {@code run_start}, {@code delivery}, {@code dead_letter}
 * @param subject what it happened to, e.g. a Message-ID and mailbox
 * @param detail a JSON object (sorted keys) as stored
 * @param prevHash the previous entry's hash (64 zeros for the first)
 * @param hash hex SHA-256 of {@code prevHash + "|" + [seq,at,event,subject,detail]} as JSON
 */
public record AuditEntry(
    long seq,
    String at,
    String event,
    String subject,
    String detail,
    String prevHash,
    String hash) {}
