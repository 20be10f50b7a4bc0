package io.lparchiver.app.server;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** Short human forms of times and durations for the page. */
final class Format {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private Format() {}

  static String time(Instant t) {
    return TIME.format(t);
  }

  static String time(Optional<Instant> t, String none) {
    return t.map(Format::time).orElse(none);
  }

  static String duration(Duration d) {
    long s = d.getSeconds();
    if (s < 120) {
      return s + "s";
    }
    if (s < 2 * 3600) {
      return s / 60 + "m";
    }
    if (s < 2 * 86400) {
      return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
    return s / 86400 + "d " + s % 86400 / 3600 + "h";
  }
}
