package io.lparchiver.state;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs each UTC day's last audit hash with {@code audit.signingKey} (HMAC-SHA256). Whoever can
 * rewrite the state file can recompute a hash chain, but not these signatures without the key,
 * which lives in the configuration (or its environment), not in the state directory.
 *
 * <p>Immutable and thread-safe; {@link #toString} never shows the key.
 */
public final class AuditSigner {

  static final String ALGORITHM = "HMAC-SHA256";
  private static final String PREFIX = "lp-archiver-audit-day-v1";

  private final byte[] key;
  private final String keyId;

  private AuditSigner(byte[] key) {
    this.key = key.clone();
    this.keyId = mac("lp-archiver-key-id").substring(0, 16);
  }

  /** A signer for the key's UTF-8 bytes; the key must not be blank. */
  public static AuditSigner hmacSha256(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("audit.signingKey must not be blank");
    }
    return new AuditSigner(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Names the key without revealing it (an HMAC of a fixed label), so a rotation is visible. */
  public String keyId() {
    return keyId;
  }

  /** The hex signature of one day's last entry. */
  String sign(String day, long seq, String hash) {
    return mac(PREFIX + "|" + day + "|" + seq + "|" + hash);
  }

  /** Constant-time comparison, so a verifier does not leak how much of a forgery was right. */
  boolean matches(String day, long seq, String hash, String signature) {
    return MessageDigest.isEqual(
        sign(day, seq, hash).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "AuditSigner[" + ALGORITHM + ", key " + keyId + "]";
  }
}
