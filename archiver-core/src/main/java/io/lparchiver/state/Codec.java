package io.lparchiver.state;

import io.lparchiver.model.Channel;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.state.DeliveryRecord.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/** The one place where Java values become column values and back. */
final class Codec {

  // Fixed width (9 fraction digits) so that text order is time order and nothing is rounded.
  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  // Reasons come from exceptions and may quote URLs or headers; keep credentials out of the file.
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
  private static final Pattern SECRET_PARAM =
      Pattern.compile(
          "(?i)\\b([a-z_]*(?:token|secret|password|signature|consumer_?key|api_?key)[a-z_]*"
              + "\\s*[=:]\\s*\"?)[^&\\s\",]+");
  static final int MAX_TEXT = 4000;

  private Codec() {}

  /**
   * Years 1970 to 9999, which the fast path writes: the first second of 10000, in epoch seconds.
   */
  private static final long FAST_UNTIL = 253_402_300_800L;

  static String text(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds < 0 || seconds >= FAST_UNTIL) {
      return INSTANT.format(instant);
    }
    // as INSTANT formats it, without its per-call field resolution: a ledger row and an audit
    // entry each take one or two of these per copy
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, instant.getNano(), ZoneOffset.UTC);
    byte[] out = new byte[30];
    digits(out, 0, t.getYear(), 4);
    out[4] = '-';
    digits(out, 5, t.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, t.getDayOfMonth(), 2);
    out[10] = 'T';
    digits(out, 11, t.getHour(), 2);
    out[13] = ':';
    digits(out, 14, t.getMinute(), 2);
    out[16] = ':';
    digits(out, 17, t.getSecond(), 2);
    out[19] = '.';
    digits(out, 20, t.getNano(), 9);
    out[29] = 'Z';
    return new String(out, StandardCharsets.US_ASCII);
  }

  private static void digits(byte[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  static Instant instant(String text) {
    return Instant.parse(text);
  }

  static String label(Channel channel) {
    return channel.label();
  }

  static Channel channel(String label) {
    for (Channel channel : Channel.values()) {
      if (channel.label().equals(label)) {
        return channel;
      }
    }
    throw new IllegalStateException("unknown channel in state database: " + label);
  }

  static String label(DeadLetterStage stage) {
    return stage.label();
  }

  static DeadLetterStage stage(String label) {
    return DeadLetterStage.valueOf(label.toUpperCase(Locale.ROOT));
  }

  static String label(Outcome outcome) {
    return outcome.label();
  }

  static Outcome outcome(String label) {
    return Outcome.valueOf(label.toUpperCase(Locale.ROOT));
  }

  /** Free text from exceptions or the CLI: credentials masked, length bounded. */
  static String redact(String text) {
    String masked = BEARER.matcher(text).replaceAll("$1 ***");
    masked = SECRET_PARAM.matcher(masked).replaceAll("$1***");
    return masked.length() <= MAX_TEXT ? masked : masked.substring(0, MAX_TEXT) + "...";
  }
}
