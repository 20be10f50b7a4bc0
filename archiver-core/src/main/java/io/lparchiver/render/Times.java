package io.lparchiver.render;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;
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

  // From 0001-01-02 to 9999-12-30 in UTC: four-digit years in any zone (offsets are at most 18
  // hours), where the fields are written directly; outside it the formatters below do it.
  private static final long FIRST_FAST_SECOND = -62_135_510_400L;
  private static final long LAST_FAST_SECOND = 253_402_128_000L;

  private final ZoneId zone;
  private final ZoneRules rules;
  private final String zoneLabel;
  private final DateTimeFormatter time;
  private final DateTimeFormatter date;
  private final DateTimeFormatter dateTime;

  Times(ZoneId zone) {
    this.zone = zone.normalized();
    this.rules = this.zone.getRules();
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

  // time, date and dateTime run for every line of a transcript: they write the digits themselves
  // instead of going through a DateTimeFormatter, which resolves the zone and builds a
  // ZonedDateTime and a parse context on every call. The formatters stay for the years outside
  // 0001-9999, which they print with a sign or as year-of-era.

  String time(Instant t) {
    if (!fast(t)) {
      return time.format(t);
    }
    return appendTime(new StringBuilder(8), local(t)).toString();
  }

  String date(Instant t) {
    if (!fast(t)) {
      return date.format(t);
    }
    return appendDate(new StringBuilder(10), local(t)).toString();
  }

  String dateTime(Instant t) {
    if (!fast(t)) {
      return dateTime.format(t) + " " + zoneLabel;
    }
    LocalDateTime local = local(t);
    StringBuilder out = new StringBuilder(20 + zoneLabel.length());
    appendTime(appendDate(out, local).append(' '), local);
    return out.append(' ').append(zoneLabel).toString();
  }

  private static boolean fast(Instant t) {
    return t.getEpochSecond() >= FIRST_FAST_SECOND && t.getEpochSecond() <= LAST_FAST_SECOND;
  }

  private LocalDateTime local(Instant t) {
    return LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, rules.getOffset(t));
  }

  private static StringBuilder appendDate(StringBuilder out, LocalDateTime t) {
    int year = t.getYear();
    out.append((char) ('0' + year / 1000)).append((char) ('0' + year / 100 % 10));
    twoDigits(out, year % 100).append('-');
    twoDigits(out, t.getMonthValue()).append('-');
    return twoDigits(out, t.getDayOfMonth());
  }

  private static StringBuilder appendTime(StringBuilder out, LocalDateTime t) {
    twoDigits(out, t.getHour()).append(':');
    twoDigits(out, t.getMinute()).append(':');
    return twoDigits(out, t.getSecond());
  }

  private static StringBuilder twoDigits(StringBuilder out, long value) {
    return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  /** A duration as {@code H:mm:ss}, with days when longer than a day. */
  static String duration(Duration d) {
    long seconds = Math.max(0, d.toSeconds());
    long days = seconds / 86_400;
    StringBuilder out = new StringBuilder(16);
    if (days > 0) {
      out.append(days).append("d ");
    }
    out.append(seconds / 3600 % 24).append(':');
    twoDigits(out, seconds / 60 % 60).append(':');
    return twoDigits(out, seconds % 60).toString();
  }

  ZoneId zone() {
    return zone;
  }
}
