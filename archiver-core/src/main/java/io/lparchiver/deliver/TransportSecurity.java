package io.lparchiver.deliver;

import java.util.Locale;

/** How a mail protocol connection is protected. */
public enum TransportSecurity {
  /** TLS from the first byte (IMAPS 993, SMTPS 465). */
  TLS,
  /** Plain connection upgraded with STARTTLS, which is required: no fallback to plaintext. */
  STARTTLS,
  /** Plaintext; only for a server on loopback, and only when explicitly allowed. */
  NONE;

  public static TransportSecurity parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
