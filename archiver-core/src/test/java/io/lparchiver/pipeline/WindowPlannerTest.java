package io.lparchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.model.Window;
import io.lparchiver.pipeline.WindowPlanner.PlannedFetch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowPlannerTest {

  private final WindowPlanner planner = new WindowPlanner();
  private final Instant now = Instant.parse("2026-11-26T12:00:00Z");
  private final Duration lag = Duration.ofMinutes(30);

  @Test
  void firstRunWalksFromBackfillStartToNowInWindowsOfAtMostNinetyDaysMovingTheCursor() {
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    List<PlannedFetch> plan =
        planner.incremental(from, Optional.empty(), Optional.empty(), now, lag);

    assertThat(plan)
        .allSatisfy(
            p -> {
              assertThat(Duration.between(p.request().window().from(), p.request().window().to()))
                  .isLessThanOrEqualTo(Duration.ofDays(90));
              assertThat(p.request().updatedSince()).isEmpty();
              assertThat(p.cursorAfter()).contains(p.request().window().to());
            });
    assertThat(plan.get(0).request().window().from()).isEqualTo(from);
    assertThat(plan.get(plan.size() - 1).request().window().to()).isEqualTo(now);
    for (int i = 1; i < plan.size(); i++) {
      assertThat(plan.get(i).request().window().from())
          .isEqualTo(plan.get(i - 1).request().window().to());
    }
  }

  @Test
  void laterRunAsksThePassedRangeForUpdatesSinceThePreviousRunMinusTheLagAndWalksOnFromTheCursor() {
    Instant from = Instant.parse("2026-06-01T00:00:00Z");
    Instant cursor = Instant.parse("2026-11-26T11:00:00Z");
    Instant lastRun = Instant.parse("2026-11-26T11:00:00Z");
    List<PlannedFetch> plan =
        planner.incremental(from, Optional.of(cursor), Optional.of(lastRun), now, lag);

    List<PlannedFetch> updates =
        plan.stream().filter(p -> p.request().updatedSince().isPresent()).toList();
    List<PlannedFetch> fresh =
        plan.stream().filter(p -> p.request().updatedSince().isEmpty()).toList();
    assertThat(updates)
        .isNotEmpty()
        .allSatisfy(
            p -> {
              assertThat(p.request().updatedSince()).contains(lastRun.minus(lag));
              assertThat(p.cursorAfter()).isEmpty();
            });
    assertThat(updates.get(0).request().window().from()).isEqualTo(from);
    assertThat(updates.get(updates.size() - 1).request().window().to()).isEqualTo(cursor);
    assertThat(fresh)
        .extracting(p -> p.request().window())
        .containsExactly(new Window(cursor, now));
  }

  @Test
  void neverAsksForMoreThanThirteenMonthsBack() {
    Instant ancient = Instant.parse("2020-01-01T00:00:00Z");
    List<PlannedFetch> plan =
        planner.incremental(ancient, Optional.empty(), Optional.empty(), now, lag);
    assertThat(plan.get(0).request().window().from())
        .isEqualTo(Instant.parse("2025-10-26T12:00:00Z"));
  }

  @Test
  void explicitRangeIsSplitAndLeavesCheckpointsAlone() {
    Window range =
        new Window(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z"));
    List<PlannedFetch> plan = planner.explicitRange(range);
    assertThat(plan).hasSize(3).allSatisfy(p -> assertThat(p.cursorAfter()).isEmpty());
    assertThat(plan.get(2).request().window().to()).isEqualTo(range.to());
  }

  @Test
  void
      withInterimVersionsEveryFetchAsksForOpenOnesAndTheStartsThatTurnedOldSinceTheLastRunAreReadAgain() {
    Instant from = Instant.parse("2026-06-01T00:00:00Z");
    Instant lastRun = Instant.parse("2026-11-26T11:00:00Z");
    Duration day = Duration.ofHours(24);
    List<PlannedFetch> plan =
        planner.incremental(
            from, Optional.of(lastRun), Optional.of(lastRun), now, lag, Optional.of(day));

    assertThat(plan).allSatisfy(p -> assertThat(p.request().includeOpen()).isTrue());
    List<PlannedFetch> aged =
        plan.stream()
            .filter(p -> p.request().updatedSince().isEmpty() && p.cursorAfter().isEmpty())
            .toList();
    assertThat(aged).hasSize(1);
    assertThat(aged.get(0).request().window())
        .as("started between (last run - lag - 24 h) and (now - 24 h), whatever their updates")
        .isEqualTo(new Window(lastRun.minus(lag).minus(day), now.minus(day)));
  }

  @Test
  void withoutInterimVersionsOnlyClosedConversationsAreAskedFor() {
    Instant from = Instant.parse("2026-06-01T00:00:00Z");
    Instant lastRun = Instant.parse("2026-11-26T11:00:00Z");
    List<PlannedFetch> plan =
        planner.incremental(
            from, Optional.of(lastRun), Optional.of(lastRun), now, lag, Optional.empty());

    assertThat(plan).isNotEmpty().allSatisfy(p -> assertThat(p.request().includeOpen()).isFalse());
    assertThat(plan)
        .as("no extra read of aged start times")
        .allSatisfy(
            p ->
                assertThat(p.request().updatedSince().isPresent() || p.cursorAfter().isPresent())
                    .isTrue());
  }
}
