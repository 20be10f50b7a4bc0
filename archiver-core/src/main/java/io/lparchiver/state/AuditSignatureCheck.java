package io.lparchiver.state;

/**
 * Checks day signatures over the audit chain: the signing key itself ({@link AuditSigner}) or, for
 * Ed25519, only its public half ({@link AuditPublicKey}), which an auditor can hold without being
 * able to sign.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface AuditSignatureCheck {

  /** {@code HMAC-SHA256} or {@code Ed25519}, as stored with each signature. */
  String algorithm();

  /** Names the key without revealing it, so a rotation or a foreign key is visible. */
  String keyId();

  /** True when {@code signature} is this key's signature of that day's last entry. */
  boolean matches(String day, long seq, String hash, String signature);

  /** The signed text: a fixed prefix, so a signature can never be replayed for another purpose. */
  static String message(String day, long seq, String hash) {
    return "lp-archiver-audit-day-v1|" + day + "|" + seq + "|" + hash;
  }
}
