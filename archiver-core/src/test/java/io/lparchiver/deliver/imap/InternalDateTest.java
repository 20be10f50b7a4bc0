package io.lparchiver.deliver.imap;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.deliver.TestEmails;
import jakarta.mail.internet.MailDateFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InternalDateTest {

  /** The renderer's Date format (render.Times). */
  private static final DateTimeFormatter RENDERED =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT);

  @Test
  void comesFromTheDateHeader() throws Exception {
    assertThat(InternalDate.of(email(key("c", 1), "x")).toInstant())
        .isEqualTo(Instant.parse("2026-03-02T10:15:00Z"));
    assertThat(InternalDate.of(TestEmails.sized(key("c", 2), 100))).isNull();
    assertThat(dateOf("Subject: x\r\nDate: Mon, 2 Mar 2026\r\n 10:15:00 +0000\r\n\r\nb"))
        .as("folded")
        .isEqualTo(Instant.parse("2026-03-02T10:15:00Z"));
    assertThat(dateOf("DATE: 2 Mar 2026 10:15:00 -0130\r\n\r\nb"))
        .isEqualTo(Instant.parse("2026-03-02T11:45:00Z"));
    assertThat(dateOf("Date: Mon, 02 Mar 2026 10:15:00 EST\r\n\r\nb"))
        .as("a zone name: Jakarta Mail's lenient parser")
        .isEqualTo(Instant.parse("2026-03-02T15:15:00Z"));
    assertThat(dateOf("Subject: x\r\n\r\nDate: Mon, 2 Mar 2026 10:15:00 +0000\r\n"))
        .as("a Date line in the body is not the header")
        .isNull();
    assertThat(dateOf("Date: not a date\r\n\r\nb")).isNull();
  }

  @Test
  void readsWhatTheRendererWritesAsJakartaMailDoes() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 5_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(60 * random.nextInt(-18 * 60 + 1, 18 * 60));
      String header = RENDERED.format(instant.atOffset(offset));

      Date read = InternalDate.usualForm(header).orElseThrow();

      assertThat(read.toInstant()).as(header).isEqualTo(instant);
      assertThat(read).as(header).isEqualTo(new MailDateFormat().parse(header));
    }
    assertThat(InternalDate.usualForm("Mon, 2 Foo 2026 10:15:00 +0000")).isEmpty();
    assertThat(InternalDate.usualForm("Mon, 2 Mar 2026 10:15 +0000")).isEmpty();
    assertThat(InternalDate.usualForm("Mon, 31 Feb 2026 10:15:00 +0000")).isEmpty();
    assertThat(InternalDate.usualForm("Mon, 2 Mar 2026 10:15:00 0000")).isEmpty();
  }

  private static Instant dateOf(String mime) throws Exception {
    Date date = InternalDate.of(email(key("c", 3), mime.getBytes(StandardCharsets.US_ASCII)));
    return date == null ? null : date.toInstant();
  }
}
