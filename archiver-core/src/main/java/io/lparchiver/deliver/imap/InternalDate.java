package io.lparchiver.deliver.imap;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.model.ArchiveEmail;
import jakarta.mail.internet.MailDateFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The INTERNALDATE of an APPEND: the conversation start, from the email's Date header. Read once
 * per copy, so without Jakarta Mail's header parser and date format (a new {@code SimpleDateFormat}
 * each) or {@code DateTimeFormatter}'s parsing, which together cost more than the rest of an
 * APPEND's client side: the date the renderer writes ({@code Sun, 22 Nov 2026 10:25:00 +0000}) is
 * read by hand, anything else by {@code MailDateFormat}.
 */
final class InternalDate {

  private static final List<String> MONTHS =
      List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

  private InternalDate() {}

  /** The Date header's time; null (the server then uses its clock) when there is none. */
  static Date of(ArchiveEmail email) throws DeliveryException {
    try (InputStream in = new BufferedInputStream(email.open(), 4096)) {
      Optional<String> date = dateHeader(in);
      return date.isEmpty() ? null : parse(date.get());
    } catch (IOException e) {
      throw new DeliveryException(
          "cannot read the rendered email " + email.key().messageId() + ": " + e.getMessage(),
          true,
          e);
    }
  }

  /**
   * {@code date} as an APPEND's date-time (RFC 3501), in UTC: {@code 05-Nov-2026 10:25:00 +0000}.
   */
  static String imap(Date date) {
    java.time.ZonedDateTime t = date.toInstant().atZone(java.time.ZoneOffset.UTC);
    return String.format(
        java.util.Locale.ROOT,
        "%02d-%s-%04d %02d:%02d:%02d +0000",
        t.getDayOfMonth(),
        MONTHS.get(t.getMonthValue() - 1),
        t.getYear(),
        t.getHour(),
        t.getMinute(),
        t.getSecond());
  }

  /** The unfolded value of the first Date header, read up to the blank line. */
  private static Optional<String> dateHeader(InputStream in) throws IOException {
    StringBuilder date = null;
    for (String line = headerLine(in); !line.isEmpty(); line = headerLine(in)) {
      boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
      if (date != null && !continuation) {
        break;
      }
      if (date != null) {
        date.append(' ').append(line.strip());
      } else if (line.regionMatches(true, 0, "Date:", 0, 5)) {
        date = new StringBuilder(line.substring(5).strip());
      }
    }
    return date == null ? Optional.empty() : Optional.of(date.toString());
  }

  /** One header line without its line end, as Latin-1; empty at the blank line or the end. */
  private static String headerLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(80);
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static Date parse(String value) {
    Optional<Date> usual = usualForm(value);
    if (usual.isPresent()) {
      return usual.get();
    }
    try {
      return new MailDateFormat().parse(value);
    } catch (ParseException notADate) {
      return null;
    }
  }

  /** {@code [Day, ]d Mon yyyy HH:mm:ss +hhmm}; empty for any other form. */
  static Optional<Date> usualForm(String value) {
    String[] parts = value.split(" ");
    int at = parts.length == 6 && parts[0].endsWith(",") ? 1 : 0;
    if (parts.length - at != 5) {
      return Optional.empty();
    }
    String[] time = parts[at + 3].split(":");
    String zone = parts[at + 4];
    int month = MONTHS.indexOf(parts[at + 1]) + 1;
    if (time.length != 3 || month == 0 || zone.length() != 5) {
      return Optional.empty();
    }
    try {
      int sign = zone.charAt(0) == '-' ? -1 : zone.charAt(0) == '+' ? 1 : 0;
      ZoneOffset offset =
          ZoneOffset.ofHoursMinutes(
              sign * Integer.parseInt(zone, 1, 3, 10), sign * Integer.parseInt(zone, 3, 5, 10));
      LocalDateTime local =
          LocalDateTime.of(
              Integer.parseInt(parts[at + 2]),
              month,
              Integer.parseInt(parts[at]),
              Integer.parseInt(time[0]),
              Integer.parseInt(time[1]),
              Integer.parseInt(time[2]));
      return sign == 0 ? Optional.empty() : Optional.of(Date.from(local.toInstant(offset)));
    } catch (NumberFormatException | DateTimeException e) {
      return Optional.empty();
    }
  }
}
