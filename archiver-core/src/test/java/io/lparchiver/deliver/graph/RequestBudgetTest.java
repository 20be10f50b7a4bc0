package io.lparchiver.deliver.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RequestBudgetTest {

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final RequestBudget budget = new RequestBudget(10, Duration.ofMinutes(10), clock);

  @Test
  void admitsTheBudgetThenMakesTheMailboxWaitUntilTheOldestRequestsLeaveTheWindow() {
    for (int i = 0; i < 10; i++) {
      assertThat(budget.tryTake("ann")).as("request %d", i).isZero();
      clock.advance(Duration.ofSeconds(1));
    }
    Duration wait = budget.tryTake("ann");
    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(6));

    clock.advance(Duration.ofMinutes(10).minusSeconds(11)); // 9:59 after the first request
    assertThat(budget.tryTake("ann")).as("the first request is still in the window").isPositive();
    clock.advance(Duration.ofSeconds(7)); // the first 6 s slot (6 requests) left the window
    int admitted = 0;
    while (budget.tryTake("ann").isZero() && admitted < 100) {
      admitted++;
    }
    assertThat(admitted)
        .as("exactly the requests that left the window are free again")
        .isEqualTo(6);
  }

  @Test
  void neverAdmitsMoreThanTheBudgetInAnyWindow() {
    Instant start = clock.instant();
    java.util.List<Instant> admitted = new java.util.ArrayList<>();
    for (int step = 0; step < 5_000; step++) {
      if (budget.tryTake("ann").isZero()) {
        admitted.add(clock.instant());
      }
      clock.advance(Duration.ofMillis(997));
    }
    assertThat(admitted.size()).as("it does admit requests over time").isGreaterThan(60);
    for (int i = 0; i + 10 < admitted.size(); i++) {
      assertThat(Duration.between(admitted.get(i), admitted.get(i + 10)))
          .as("the 11th request after #%d (from %s)", i, start)
          .isGreaterThanOrEqualTo(Duration.ofMinutes(10));
    }
  }

  @Test
  void eachMailboxHasItsOwnBudget() {
    for (int i = 0; i < 10; i++) {
      budget.tryTake("ann");
    }
    assertThat(budget.tryTake("ann")).isPositive();
    assertThat(budget.tryTake("bob")).isZero();
  }

  @Test
  void aLongPauseEmptiesTheWindow() {
    for (int i = 0; i < 10; i++) {
      budget.tryTake("ann");
    }
    clock.advance(Duration.ofHours(3));
    for (int i = 0; i < 10; i++) {
      assertThat(budget.tryTake("ann")).isZero();
    }
  }
}
