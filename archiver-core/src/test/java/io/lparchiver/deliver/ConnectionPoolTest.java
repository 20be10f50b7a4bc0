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
  void anIdleBoundThatFollowsTheKeysKeepsEveryKeysConnectionsOpen() throws Exception {
    ConnectionPool<String> pool = pool(2, ConnectionPool.IDLE_FOLLOWS_KEYS);
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 40; k++) {
        String key = "mailbox-" + k;
        // two at once for each key, as two lanes archiving to one mailbox
        ConnectionPool.Lease<String> one = pool.acquire(key, opener(key));
        ConnectionPool.Lease<String> two = pool.acquire(key, opener(key));
        pool.release(one, true);
        pool.release(two, true);
      }
    }

    assertThat(opened).as("logged in once per connection, never again").hasValue(80);
    assertThat(closed).isEmpty();
    assertThat(pool.idleCount()).isEqualTo(80);
  }

  @Test
  void theIdleBoundThatFollowsTheKeysHasACeiling() throws Exception {
    ConnectionPool<String> pool = pool(1, ConnectionPool.IDLE_FOLLOWS_KEYS);
    for (int k = 0; k < ConnectionPool.MAX_AUTO_IDLE + 10; k++) {
      String key = "mailbox-" + k;
      pool.release(pool.acquire(key, opener(key)), true);
    }

    assertThat(pool.idleCount()).isEqualTo(ConnectionPool.MAX_AUTO_IDLE);
    assertThat(closed).hasSize(10).startsWith("mailbox-0#1");
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
