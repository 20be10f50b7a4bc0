package io.lparchiver.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of the effective configuration with secret values left out, recorded in the audit
 * trail at every run start so an auditor sees when settings changed. The text hashed is the typed
 * configuration's record form, in which every {@link Secret} prints masked: rotating a password
 * does not change the fingerprint, setting or removing one does.
 */
public final class ConfigFingerprint {

  private ConfigFingerprint() {}

  public static String of(ArchiverConfig config) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(config.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
