package io.lparchiver.state;

import java.util.Objects;
import java.util.Optional;

/**
 * How a writing {@link StateStore} keeps the audit trail.
 *
 * @param signer signs each UTC day's last audit hash ({@code audit.signingKey}); empty: unsigned
 * @param configFingerprint SHA-256 of the effective configuration without secret values, recorded
 *     with every run start; a change from the previous run adds a {@code config_change} entry
 */
public record AuditOptions(Optional<AuditSigner> signer, Optional<String> configFingerprint) {

  public AuditOptions {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(configFingerprint, "configFingerprint");
  }

  /** No signatures, no configuration fingerprint. */
  public static AuditOptions none() {
    return new AuditOptions(Optional.empty(), Optional.empty());
  }
}
