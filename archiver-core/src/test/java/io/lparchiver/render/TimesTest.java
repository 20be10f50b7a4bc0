package io.lparchiver.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Times} writes the transcript's times digit by digit; the {@link DateTimeFormatter}
 * patterns it used before are the reference, in zones with and without daylight saving time.
 */
class TimesTest {

  private static final String[] ZONES = {
    "UTC",
    "Z",
    "+05:30",
    "-09:30",
    "+18:00",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "America/St_Johns"
  };

  @Test
  void timeDateAndDateTimeAgreeWithTheFormatterPatterns() {
    Random random = new Random(20261126);
    for (String id : ZONES) {
      ZoneId zone = ZoneId.of(id);
      Times times = new Times(zone);
      String label = times.zoneLabel();
      for (int round = 0; round < 3_000; round++) {
        Instant t = instant(random);

        assertThat(times.time(t)).as("%s %s", id, t).isEqualTo(format("HH:mm:ss", zone, t));
        assertThat(times.date(t)).as("%s %s", id, t).isEqualTo(format("yyyy-MM-dd", zone, t));
        assertThat(times.dateTime(t))
            .as("%s %s", id, t)
            .isEqualTo(format("yyyy-MM-dd HH:mm:ss", zone, t) + " " + label);
      }
    }
  }

  @Test
  void durationAgreesWithTheFormatString() {
    Random random = new Random(7);
    for (int round = 0; round < 10_000; round++) {
      long seconds =
          switch (round % 3) {
            case 0 -> random.nextInt(200_000) - 100;
            case 1 -> random.nextInt(100) * 86_400L + random.nextInt(100);
            default -> random.nextLong() / 1000;
          };
      long s = Math.max(0, seconds);
      String hms = String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600 % 24, s / 60 % 60, s % 60);
      String expected = s / 86_400 > 0 ? s / 86_400 + "d " + hms : hms;

      assertThat(Times.duration(Duration.ofSeconds(seconds)))
          .as("%d s", seconds)
          .isEqualTo(expected);
    }
  }

  private static String format(String pattern, ZoneId zone, Instant t) {
    return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(zone).format(t);
  }

  // Ordinary times, the edges of years 1 and 9999 (where the fast path ends), and far outside.
  private static Instant instant(Random random) {
    return switch (random.nextInt(5)) {
      case 0 ->
          Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), random.nextInt(1_000_000_000));
      case 1 ->
          Instant.parse("0001-01-01T00:00:00Z").plusSeconds(random.nextInt(4 * 86_400) - 86_400);
      case 2 ->
          Instant.parse("9999-12-30T00:00:00Z").plusSeconds(random.nextInt(4 * 86_400) - 86_400);
      case 3 ->
          Instant.ofEpochSecond(
              random.nextLong() % 300_000_000_000L, random.nextInt(1_000_000_000));
      default -> Instant.ofEpochSecond(random.nextLong() % 31_000_000_000_000L);
    };
  }
}
