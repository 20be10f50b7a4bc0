package io.lparchiver.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {

  final AtomicInteger opened = new AtomicInteger();
  final List<String> closed = new CopyOnWriteArrayList<>();

  ConnectionPool<String> pool(int perKey, int maxIdle) {
    return new ConnectionPool<>(
        perKey, maxIdle, Duration.ofMillis(100), closed::add, Clock.systemUTC());
  }

  ConnectionPool.Opener<String> opener(String key) {
    return () -> key + "#" + opened.incrementAndGet();
  }

  @Test
  void reusesAReleasedConnectionAndDiscardsABrokenOne() throws Exception {
    ConnectionPool<String> pool = pool(2, 4);

    ConnectionPool.Lease<String> first = pool.acquire("ann", opener("ann"));
    pool.release(first, true);
    ConnectionPool.Lease<String> again = pool.acquire("ann", opener("ann"));
    pool.release(again, false);

    assertThat(again.connection()).isEqualTo(first.connection());
    assertThat(closed).containsExactly("ann#1");
    assertThat(pool.idleCount()).isZero();
  }

  @Test
  void atMostPerKeyConnectionsAtATimeThenARetriableTimeout() throws Exception {
    ConnectionPool<String> pool = pool(2, 4);
    pool.acquire("ann", opener("ann"));
    pool.acquire("ann", opener("ann"));

    assertThatThrownBy(() -> pool.acquire("ann", opener("ann")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isTrue())
        .hasMessageContaining("busy");
    assertThat(pool.acquire("bob", opener("bob")).connection()).startsWith("bob");
    assertThat(opened).hasValue(3);
  }

  @Test
  void idleConnectionsAreCappedAcrossKeysClosingTheOldest() throws Exception {
    ConnectionPool<String> pool = pool(1, 2);
    for (String key : List.of("a", "b", "c")) {
      pool.release(pool.acquire(key, opener(key)), true);
    }

    assertThat(pool.idleCount()).isEqualTo(2);
    assertThat(closed).containsExactly("a#1");
    pool.close();
    assertThat(closed).containsExactlyInAnyOrder("a#1", "b#2", "c#3");
  }

  @Test
  void aFailedOpenGivesItsPermitBack() throws Exception {
    ConnectionPool<String> pool = pool(1, 1);
    ConnectionPool.Opener<String> failing =
        () -> {
          throw new DeliveryException("refused", false);
        };

    assertThatThrownBy(() -> pool.acquire("ann", failing)).hasMessage("refused");
    assertThat(pool.acquire("ann", opener("ann")).connection()).isEqualTo("ann#1");
  }
}
