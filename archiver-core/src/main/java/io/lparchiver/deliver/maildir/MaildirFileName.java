package io.lparchiver.deliver.maildir;

import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maildir file names: unique per the Maildir spec and carrying a tag of the conversation version,
 * so {@code find} recognises a delivered copy from the directory listing without opening files.
 *
 * <p>Form: {@code {epochSeconds}.M{micros}P{pid}Q{counter}_{keyTag}.{host},S={size}}, where {@code
 * keyTag} is {@code lp} + the first 20 hex digits of SHA-256 of the Message-ID. Dovecot reads the
 * {@code ,S=} size and appends {@code :2,{flags}} when it moves the file to {@code cur/}.
 */
final class MaildirFileName {

  /** "lp" and 20 hex digits. */
  private static final int TAG_LENGTH = 22;

  private static final Pattern SIZE = Pattern.compile(",S=(\\d+)");

  private MaildirFileName() {}

  static String keyTag(MessageKey key) {
    byte[] digest = Sha256.digest().digest(key.messageId().getBytes(StandardCharsets.US_ASCII));
    return "lp" + HexFormat.of().formatHex(digest, 0, 10); // 10 bytes: 20 hex digits
  }

  static String create(
      Instant now, long pid, long counter, MessageKey key, String host, long size) {
    return create(now, pid, counter, keyTag(key), host, size);
  }

  /** As above, with the key's tag already computed. */
  static String create(Instant now, long pid, long counter, String keyTag, String host, long size) {
    long micros = now.getNano() / 1_000L;
    return now.getEpochSecond()
        + ".M"
        + micros
        + "P"
        + pid
        + "Q"
        + counter
        + "_"
        + keyTag
        + "."
        + host
        + ",S="
        + size;
  }

  /** The key tag a file name carries, if it is one of ours. */
  static Optional<String> tagOf(String fileName) {
    int start = fileName.indexOf("_lp");
    int end = start + 1 + TAG_LENGTH;
    if (start < 0 || end >= fileName.length() || fileName.charAt(end) != '.') {
      return Optional.empty();
    }
    return Optional.of(fileName.substring(start + 1, end));
  }

  /** The name without Maildir info ({@code :2,S}), i.e. what a receipt calls the item. */
  static String base(String fileName) {
    int colon = fileName.indexOf(':');
    return colon < 0 ? fileName : fileName.substring(0, colon);
  }

  /** The size the name declares, if it declares one. */
  static Optional<Long> declaredSize(String fileName) {
    Matcher m = SIZE.matcher(base(fileName));
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  /**
   * The host part: Maildir names use {@code /}, {@code :} and {@code ,} as separators, so keep only
   * letters, digits, dot and hyphen.
   */
  static String sanitiseHost(String host) {
    String clean = host.replaceAll("[^A-Za-z0-9.-]", "_");
    return clean.isEmpty() ? "localhost" : clean;
  }
}
