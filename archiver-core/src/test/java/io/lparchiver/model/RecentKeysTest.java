package io.lparchiver.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentKeysTest {

  @Test
  void recognisesTheRecentKeysAndForgetsTheOldestPastItsCapacity() {
    RecentKeys keys = new RecentKeys(2);
    assertThat(keys.add("a")).isTrue();
    assertThat(keys.add("a")).isFalse();
    assertThat(keys.add("b")).isTrue();

    assertThat(keys.add("c")).isTrue(); // "a" is forgotten

    assertThat(keys.contains("a")).isFalse();
    assertThat(keys.contains("b")).isTrue();
    assertThat(keys.add("c")).isFalse();
    assertThat(keys.add("a")).isTrue();
  }

  @Test
  void refusesACapacityThatHoldsNothing() {
    assertThatThrownBy(() -> new RecentKeys(0)).hasMessageContaining("capacity must be at least 1");
  }
}
