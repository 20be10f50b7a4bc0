package io.lparchiver.state;

import io.lparchiver.model.Channel;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.state.DeliveryRecord.Outcome;
import java.time.Instant;
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

  static String text(Instant instant) {
    return INSTANT.format(instant);
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
