package io.lparchiver.render;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Time formats of the email, in one place. Headers are always UTC; the transcript uses a zone. */
final class Times {

  private static final DateTimeFormatter RFC_5322 =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SUBJECT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final ZoneId zone;
  private final String zoneLabel;
  private final DateTimeFormatter time;
  private final DateTimeFormatter date;
  private final DateTimeFormatter dateTime;

  Times(ZoneId zone) {
    this.zone = zone.normalized();
    this.zoneLabel = this.zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
    this.time = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    this.date = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(zone);
    this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(zone);
  }

  static String header(Instant t) {
    return RFC_5322.format(t);
  }

  static String subject(Instant t) {
    return SUBJECT.format(t);
  }

  /** ISO-8601 in UTC with milliseconds, as LivePerson records them. */
  static String iso(Instant t) {
    return ISO_UTC.format(t);
  }

  String zoneLabel() {
    return zoneLabel;
  }

  String time(Instant t) {
    return time.format(t);
  }

  String date(Instant t) {
    return date.format(t);
  }

  String dateTime(Instant t) {
    return dateTime.format(t) + " " + zoneLabel;
  }

  /** A duration as {@code H:mm:ss}, with days when longer than a day. */
  static String duration(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    long days = seconds / 86_400;
    String hms =
        String.format(
            Locale.ROOT, "%d:%02d:%02d", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    return days > 0 ? days + "d " + hms : hms;
  }

  ZoneId zone() {
    return zone;
  }
}
