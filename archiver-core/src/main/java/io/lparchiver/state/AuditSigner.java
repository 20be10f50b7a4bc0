package io.lparchiver.state;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs each UTC day's last audit hash with {@code audit.signingKey}. Whoever can rewrite the state
 * file can recompute a hash chain, but not these signatures without the key, which lives in the
 * configuration (or its environment), not in the state directory.
 *
 * <p>The key's form chooses the algorithm: a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, as
 * {@code openssl genpkey -algorithm ed25519} writes it) signs with Ed25519, whose public half lets
 * an auditor check the signatures without being able to make them; any other text is an HMAC-SHA256
 * secret, which only its holder can check.
 *
 * <p>Immutable and thread-safe; {@link #toString} never shows the key.
 */
public final class AuditSigner implements AuditSignatureCheck {

  static final String HMAC = "HMAC-SHA256";
  static final String ED25519 = AuditPublicKey.ALGORITHM;
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String HOW_TO_MAKE =
      "Generate one with `openssl genpkey -algorithm ed25519 -out audit-key.pem` and pass it as"
          + " audit.signingKey: ${LP_ARCHIVER_AUDIT_KEY} with"
          + " LP_ARCHIVER_AUDIT_KEY=\"$(cat audit-key.pem)\".";

  private final String algorithm;
  private final Optional<byte[]> hmacKey;
  private final Optional<PrivateKey> privateKey;
  private final Optional<AuditPublicKey> publicKey;
  private final String keyId;

  private AuditSigner(byte[] hmacKey) {
    this.algorithm = HMAC;
    this.hmacKey = Optional.of(hmacKey.clone());
    this.privateKey = Optional.empty();
    this.publicKey = Optional.empty();
    this.keyId = mac("lp-archiver-key-id").substring(0, 16);
  }

  private AuditSigner(PrivateKey privateKey, AuditPublicKey publicKey) {
    this.algorithm = ED25519;
    this.hmacKey = Optional.empty();
    this.privateKey = Optional.of(privateKey);
    this.publicKey = Optional.of(publicKey);
    this.keyId = publicKey.keyId();
  }

  /**
   * The signer for a configured {@code audit.signingKey}: Ed25519 when it is a PKCS#8 PEM, else
   * HMAC-SHA256 over its UTF-8 bytes. Errors name the key and never show it.
   */
  public static AuditSigner of(String configured) {
    Objects.requireNonNull(configured, "configured");
    return configured.strip().startsWith("-----BEGIN")
        ? ed25519(configured)
        : hmacSha256(configured);
  }

  /** A signer for the key's UTF-8 bytes; the key must not be blank. */
  public static AuditSigner hmacSha256(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("audit.signingKey must not be blank");
    }
    return new AuditSigner(key.getBytes(StandardCharsets.UTF_8));
  }

  /** An Ed25519 signer for a PKCS#8 PEM private key. */
  public static AuditSigner ed25519(String pkcs8Pem) {
    byte[] der =
        Pem.decode(
            pkcs8Pem,
            PKCS8_BEGIN,
            "-----END PRIVATE KEY-----",
            "audit.signingKey",
            "a PKCS#8 Ed25519 private key",
            HOW_TO_MAKE);
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(ED25519).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      // The cause's message is left out: it could quote key material.
      throw new IllegalArgumentException(
          "audit.signingKey is a PEM private key but not an Ed25519 one (only Ed25519 and HMAC"
              + " secrets are supported). "
              + HOW_TO_MAKE,
          null);
    }
    return new AuditSigner(key, derivePublic(key));
  }

  /**
   * The JDK has no call that derives an Ed25519 public key from a private one, but its key pair
   * generator computes the public key from the 32 private bytes it draws; handing it exactly the
   * stored bytes gives that key's pair. Checked by a signature round trip, so a JDK that drew its
   * bytes differently fails here, loudly, instead of signing under a wrong public key.
   */
  private static AuditPublicKey derivePublic(PrivateKey key) {
    byte[] seed =
        ((EdECPrivateKey) key)
            .getBytes()
            .orElseThrow(() -> new IllegalArgumentException("audit.signingKey has no key bytes"));
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ED25519);
      generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
      KeyPair pair = generator.generateKeyPair();
      AuditPublicKey publicKey = new AuditPublicKey(pair.getPublic());
      String probe = "lp-archiver-key-check";
      Signature s = Signature.getInstance(ED25519);
      s.initSign(key);
      s.update(probe.getBytes(StandardCharsets.UTF_8));
      Signature v = Signature.getInstance(ED25519);
      v.initVerify(publicKey.key());
      v.update(probe.getBytes(StandardCharsets.UTF_8));
      if (!v.verify(s.sign())) {
        throw new IllegalStateException(
            "this JDK did not derive the Ed25519 public key of audit.signingKey; use Java 17+"
                + " from OpenJDK");
      }
      return publicKey;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
    }
  }

  @Override
  public String algorithm() {
    return algorithm;
  }

  /**
   * Names the key without revealing it, so a rotation is visible: HMAC, an HMAC of a fixed label;
   * Ed25519, the {@link AuditPublicKey#keyId() public key's id}.
   */
  @Override
  public String keyId() {
    return keyId;
  }

  /** The public key an auditor needs to check the signatures; empty for an HMAC secret. */
  public Optional<AuditPublicKey> publicKey() {
    return publicKey;
  }

  /** The hex signature of one day's last entry. */
  String sign(String day, long seq, String hash) {
    String message = AuditSignatureCheck.message(day, seq, hash);
    if (privateKey.isEmpty()) {
      return mac(message);
    }
    try {
      Signature s = Signature.getInstance(ED25519);
      s.initSign(privateKey.get());
      s.update(message.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
    }
  }

  @Override
  public boolean matches(String day, long seq, String hash, String signature) {
    if (publicKey.isPresent()) {
      return publicKey.get().matches(day, seq, hash, signature);
    }
    // Constant-time comparison, so a verifier does not leak how much of a forgery was right.
    return MessageDigest.isEqual(
        sign(day, seq, hash).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hmacKey.orElseThrow(), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "AuditSigner[" + algorithm + ", key " + keyId + "]";
  }

  /** Hands the key pair generator the stored private key bytes instead of random ones. */
  private static final class FixedBytes extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException("expected a request for " + bytes.length + " bytes");
      }
      System.arraycopy(bytes, 0, out, 0, bytes.length);
    }
  }
}
