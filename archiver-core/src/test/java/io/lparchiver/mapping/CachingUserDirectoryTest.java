package io.lparchiver.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.model.AgentUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingUserDirectoryTest {

  static final AgentUser ANN =
      new AgentUser("1001", "pid", "ann", "Ann", Optional.of("ann@brand.example"), 1, false);

  @Test
  void answersAndMissesAreAskedForOnce() {
    AtomicInteger calls = new AtomicInteger();
    UserDirectory remote =
        id -> {
          calls.incrementAndGet();
          return "1001".equals(id) ? Optional.of(ANN) : Optional.empty();
        };
    CachingUserDirectory cache = new CachingUserDirectory(remote);

    for (int i = 0; i < 3; i++) {
      assertThat(cache.find("1001")).contains(ANN);
      assertThat(cache.find("9999")).isEmpty();
    }

    assertThat(calls).hasValue(2);
  }

  @Test
  void concurrentCallersAllGetTheAnswer() throws Exception {
    CachingUserDirectory cache = new CachingUserDirectory(id -> Optional.of(ANN));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Optional<AgentUser>>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String id = Integer.toString(i % 10);
        answers.add(pool.submit(() -> cache.find(id)));
      }
      for (Future<Optional<AgentUser>> answer : answers) {
        assertThat(answer.get()).contains(ANN);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
