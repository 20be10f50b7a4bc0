package io.lparchiver.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CodecTest {

  /** The stored format, as it was always written: every stored time must read the same. */
  private static final DateTimeFormatter STORED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  @Test
  void writesInstantsExactlyAsTheStoredFormatDoes() {
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 20_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(-100_000_000_000L, 300_000_000_000L), random.nextInt(1_000_000_000));
      assertThat(Codec.text(instant)).as("%s", instant).isEqualTo(STORED.format(instant));
    }
    for (String edge :
        new String[] {
          "1970-01-01T00:00:00Z",
          "1969-12-31T23:59:59.999999999Z",
          "2026-02-28T23:59:59.000000001Z",
          "2028-02-29T12:00:00Z",
          "9999-12-31T23:59:59.999999999Z",
          "+10000-01-01T00:00:00Z"
        }) {
      Instant instant = Instant.parse(edge);
      assertThat(Codec.text(instant)).as(edge).isEqualTo(STORED.format(instant));
      assertThat(Codec.instant(Codec.text(instant))).isEqualTo(instant);
    }
  }
}
