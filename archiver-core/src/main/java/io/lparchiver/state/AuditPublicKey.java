package io.lparchiver.state;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The public half of an Ed25519 {@code audit.signingKey}: checks day signatures, cannot make them.
 * This is what an auditor holds ({@code audit public-key}, {@code verify --public-key}, {@code
 * audit verify-signatures}).
 *
 * <p>Immutable and thread-safe.
 */
public final class AuditPublicKey implements AuditSignatureCheck {

  static final String ALGORITHM = "Ed25519";
  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";

  private final PublicKey key;
  private final String keyId;

  AuditPublicKey(PublicKey key) {
    this.key = Objects.requireNonNull(key, "key");
    this.keyId = keyId(key.getEncoded());
  }

  /**
   * Reads a {@code -----BEGIN PUBLIC KEY-----} PEM (SubjectPublicKeyInfo, as {@code openssl pkey
   * -pubout} writes it); {@code source} names where it came from in the error.
   */
  public static AuditPublicKey fromPem(String pem, String source) {
    byte[] der = Pem.decode(pem, BEGIN, END, source, "an Ed25519 public key", HOW_TO_MAKE);
    try {
      return new AuditPublicKey(
          KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der)));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException(
          source + " is not an Ed25519 public key (" + e.getMessage() + "). " + HOW_TO_MAKE, e);
    }
  }

  private static final String HOW_TO_MAKE =
      "Write it from the private key with `openssl pkey -in audit-key.pem -pubout -out"
          + " audit-key.pub.pem` or `lp-archiver audit public-key --config lp-archiver.yaml`.";

  /** The key as a PEM text (SubjectPublicKeyInfo), the form {@link #fromPem} reads. */
  public String pem() {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    return BEGIN + "\n" + body + "\n" + END + "\n";
  }

  @Override
  public String algorithm() {
    return ALGORITHM;
  }

  /** The first 16 hex digits of the SHA-256 of the key's DER encoding (SubjectPublicKeyInfo). */
  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public boolean matches(String day, long seq, String hash, String signature) {
    byte[] raw;
    try {
      raw = HexFormat.of().parseHex(signature);
    } catch (IllegalArgumentException e) {
      return false; // not even hex: certainly not our signature
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(AuditSignatureCheck.message(day, seq, hash).getBytes(StandardCharsets.UTF_8));
      return verifier.verify(raw);
    } catch (java.security.SignatureException e) {
      return false; // malformed signature bytes
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
    }
  }

  static String keyId(byte[] encoded) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(encoded))
          .substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  PublicKey key() {
    return key;
  }

  @Override
  public String toString() {
    return "AuditPublicKey[" + ALGORITHM + ", key " + keyId + "]";
  }
}
