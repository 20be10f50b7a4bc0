package io.lparchiver.state;

/**
 * A stored signature over one UTC day's last audit hash.
 *
 * @param day the UTC day (YYYY-MM-DD) of the entries it covers
 * @param seq the day's last entry when it was signed
 * @param hash that entry's hash
 * @param algorithm {@code HMAC-SHA256}
 * @param keyId which key signed (see {@link AuditSigner#keyId()})
 * @param signature hex signature over {@code lp-archiver-audit-day-v1|day|seq|hash}
 */
public record AuditSignature(
    String day, long seq, String hash, String algorithm, String keyId, String signature) {}
