package io.lparchiver.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The non-routable address shown for a participant without one: {@code
 * {participant}@{account}.liveperson.invalid} (RFC 2606 reserves {@code .invalid}). The ids are
 * untrusted, so both parts are cut down to characters that are safe in any header. Mapping and the
 * renderer both use it, so a participant has one address everywhere.
 */
public final class ReservedAddress {

  static final int MAX_LOCAL_PART = 64;

  // compiled once: mapping asks for an address per participant of every conversation
  private static final Pattern UNSAFE_LOCAL = Pattern.compile("[^a-z0-9._-]");
  private static final Pattern DOT_RUN = Pattern.compile("\\.{2,}");
  private static final Pattern EDGE_DOTS = Pattern.compile("^\\.+|\\.+$");
  private static final Pattern TRAILING_DOTS = Pattern.compile("\\.+$");
  private static final Pattern RECOGNISABLE = Pattern.compile(".*[a-z0-9].*");
  private static final Pattern UNSAFE_LABEL = Pattern.compile("[^a-z0-9-]");
  private static final Pattern EDGE_HYPHENS = Pattern.compile("^-+|-+$");

  private ReservedAddress() {}

  public static String of(String participantId, String account) {
    return localPart(participantId) + "@" + domain(account);
  }

  /** The reserved domain of an account, {@code {account}.liveperson.invalid}. */
  public static String domain(String account) {
    return domainLabel(account) + ".liveperson.invalid";
  }

  /** Lower case {@code [a-z0-9._-]}, no leading, trailing or double dots, never empty. */
  static String localPart(String participantId) {
    String id = participantId == null ? "" : participantId;
    String clean = UNSAFE_LOCAL.matcher(id.toLowerCase(Locale.ROOT)).replaceAll("_");
    clean = DOT_RUN.matcher(clean).replaceAll(".");
    clean = EDGE_DOTS.matcher(clean).replaceAll("");
    if (clean.length() > MAX_LOCAL_PART) {
      clean = TRAILING_DOTS.matcher(clean.substring(0, MAX_LOCAL_PART)).replaceAll("");
    }
    // nothing recognisable left: a stable stand-in that still tells hostile ids apart
    return RECOGNISABLE.matcher(clean).matches() ? clean : "participant-" + shortHash(id);
  }

  private static String domainLabel(String account) {
    String clean =
        account == null
            ? ""
            : UNSAFE_LABEL.matcher(account.toLowerCase(Locale.ROOT)).replaceAll("");
    clean = EDGE_HYPHENS.matcher(clean).replaceAll("");
    return clean.isEmpty() ? "unknown" : clean.substring(0, Math.min(clean.length(), 63));
  }

  private static String shortHash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
