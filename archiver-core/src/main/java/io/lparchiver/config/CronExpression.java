package io.lparchiver.config;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Objects;

/**
 * A 5-field cron expression ({@code minute hour day-of-month month day-of-week}) with {@code *},
 * numbers, ranges {@code a-b}, lists {@code a,b} and steps {@code * /n} or {@code a-b/n}; day of
 * week 0-7 with 0 and 7 both Sunday. As in classic cron, when both day fields are restricted a day
 * matching either one fires. No names (MON, JAN), no {@code L}, {@code W} or {@code ?}.
 */
public final class CronExpression {

  private static final int MAX_MINUTES_AHEAD = 366 * 24 * 60 * 5;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronExpression(String text, String[] f) {
    this.text = text;
    this.minutes = field(f[0], 0, 59, "minute");
    this.hours = field(f[1], 0, 23, "hour");
    this.daysOfMonth = field(f[2], 1, 31, "day of month");
    this.months = field(f[3], 1, 12, "month");
    BitSet dow = field(f[4], 0, 7, "day of week");
    if (dow.get(7)) {
      dow.set(0);
    }
    this.daysOfWeek = dow;
    this.anyDayOfMonth = f[2].startsWith("*");
    this.anyDayOfWeek = f[4].startsWith("*");
  }

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static CronExpression parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] fields = text.trim().split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "need 5 fields (minute hour day-of-month month day-of-week), e.g. \"*/15 * * * *\"");
    }
    return new CronExpression(text.trim(), fields);
  }

  /** The first matching minute strictly after {@code after}. */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    for (int i = 0; i < MAX_MINUTES_AHEAD; i++) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t;
      }
    }
    throw new IllegalStateException("cron \"" + text + "\" never fires (e.g. 31 February)");
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(String spec, int min, int max, String name) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",", -1)) {
      try {
        part(part.toLowerCase(Locale.ROOT), min, max, bits);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " field '" + spec + "' is not a number list");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " field '" + spec + "': " + e.getMessage());
      }
    }
    return bits;
  }

  private static void part(String part, int min, int max, BitSet bits) {
    String[] stepped = part.split("/", -1);
    if (stepped.length > 2) {
      throw new IllegalArgumentException("more than one '/'");
    }
    int step = stepped.length == 2 ? Integer.parseInt(stepped[1]) : 1;
    if (step < 1) {
      throw new IllegalArgumentException("step must be at least 1");
    }
    int lo;
    int hi;
    if (stepped[0].equals("*")) {
      lo = min;
      hi = max;
    } else if (stepped[0].contains("-")) {
      String[] range = stepped[0].split("-", -1);
      lo = Integer.parseInt(range[0]);
      hi = Integer.parseInt(range[1]);
    } else {
      lo = Integer.parseInt(stepped[0]);
      hi = stepped.length == 2 ? max : lo;
    }
    if (lo < min || hi > max || lo > hi) {
      throw new IllegalArgumentException("values must be within " + min + "-" + max);
    }
    for (int v = lo; v <= hi; v += step) {
      bits.set(v);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
