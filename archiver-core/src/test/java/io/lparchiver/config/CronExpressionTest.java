package io.lparchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronExpressionTest {

  @ParameterizedTest
  @CsvSource({
    "*/15 * * * *,  2026-03-01T10:07:00Z, 2026-03-01T10:15Z",
    "*/15 * * * *,  2026-03-01T10:45:00Z, 2026-03-01T11:00Z",
    "0 2 * * *,     2026-03-01T10:07:00Z, 2026-03-02T02:00Z",
    "30 9 * * 1-5,  2026-02-27T10:00:00Z, 2026-03-02T09:30Z", // Friday after 9:30 -> Monday
    "0 0 1 * *,     2026-03-01T00:00:00Z, 2026-04-01T00:00Z",
    "'5,35 8-9 * * *', 2026-03-01T08:40:00Z, 2026-03-01T09:05Z",
    "0 12 29 2 *,   2026-03-01T00:00:00Z, 2028-02-29T12:00Z",
    "0 0 13 * 5,    2026-03-01T00:00:00Z, 2026-03-06T00:00Z", // either day field, as cron does
    "0 0 * * 7,     2026-03-02T00:00:00Z, 2026-03-08T00:00Z" // 7 is Sunday
  })
  void nextIsTheFirstMatchingMinuteAfter(String cron, String after, String expected) {
    assertThat(CronExpression.parse(cron).next(ZonedDateTime.parse(after)))
        .isEqualTo(ZonedDateTime.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"* * * *", "60 * * * *", "*/0 * * * *", "a * * * *", "5-1 * * * *"})
  void rejectsWhatItCannotRead(String cron) {
    assertThatThrownBy(() -> CronExpression.parse(cron))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 0 31 2 *"})
  void anImpossibleDateIsReportedNotLoopedForever(String cron) {
    assertThatThrownBy(
            () -> CronExpression.parse(cron).next(ZonedDateTime.parse("2026-01-01T00:00Z")))
        .hasMessageContaining("never fires");
  }
}
