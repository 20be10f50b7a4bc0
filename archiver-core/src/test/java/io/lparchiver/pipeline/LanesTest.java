package io.lparchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LanesTest {

  @Test
  void everyConversationIsArchivedAndEachKeysWorkStaysInOrder() throws Exception {
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    try (Lanes lanes = new Lanes(4, "test")) {
      for (int i = 0; i < 7 * 57; i++) {
        String key = "conversation-" + (i % 7);
        int step = i;
        lanes.submit(
            key,
            () ->
                seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(step));
      }
      lanes.awaitIdle();
    }

    assertThat(seen).hasSize(7);
    seen.values().forEach(steps -> assertThat(steps).hasSize(57).isSorted());
    assertThat(seen.values().stream().mapToInt(List::size).sum()).isEqualTo(7 * 57);
  }

  @Test
  void workRunsOnSeveralThreadsAtOnce() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    try (Lanes lanes = new Lanes(2, "test")) {
      // keys chosen for different lanes: "a" and "b" hash to neighbouring values
      for (String key : List.of("a", "b")) {
        lanes.submit(
            key,
            () -> {
              bothRunning.countDown();
              if (!bothRunning.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other lane never ran alongside");
              }
            });
      }
      lanes.awaitIdle();
    }
    assertThat(bothRunning.getCount()).isZero();
  }

  @Test
  void aSlowConversationHoldsUpOnlyItsOwnKey() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    int others = 100; // far more than the lanes queue: the reader must not wait for the slow one
    CountDownLatch othersDone = new CountDownLatch(others);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    try (Lanes lanes = new Lanes(2, "test")) {
      lanes.submit("slow", release::await);
      lanes.submit("slow", () -> order.add("slow-2"));
      Thread reader =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < others; i++) {
                    lanes.submit("other-" + i, othersDone::countDown);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      reader.start();

      boolean allOthersDone = othersDone.await(10, TimeUnit.SECONDS);
      order.add("others done");
      release.countDown();
      reader.join(10_000);
      lanes.awaitIdle();

      assertThat(allOthersDone).as("every other conversation archived meanwhile").isTrue();
      // the slow key's second piece of work waited for its first
      assertThat(order).containsExactly("others done", "slow-2");
    }
  }

  @Test
  void theFirstFailureStopsTheRunAndWhatIsQueuedBehindItIsNotStarted() throws Exception {
    AtomicInteger ranAfterFailure = new AtomicInteger();
    CountDownLatch failed = new CountDownLatch(1);
    Lanes lanes = new Lanes(2, "test");
    lanes.submit(
        "a",
        () -> {
          failed.countDown();
          throw new TargetFailingException("maildir", "disk full");
        });
    assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 50; i++) {
                lanes.submit("a", ranAfterFailure::incrementAndGet);
              }
              lanes.awaitIdle();
            })
        .isInstanceOf(TargetFailingException.class)
        .hasMessageContaining("disk full");
    lanes.close();
    assertThat(ranAfterFailure).hasValue(0);
  }

  @Test
  void closeLetsTheConversationInProgressFinishAndDropsTheQueuedOnes() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    AtomicInteger queuedRan = new AtomicInteger();
    Lanes lanes = new Lanes(2, "test");
    lanes.submit(
        "a",
        () -> {
          started.countDown();
          release.await();
          finished.incrementAndGet();
        });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    lanes.submit("a", queuedRan::incrementAndGet);
    lanes.submit("a", queuedRan::incrementAndGet);

    Thread closer =
        new Thread(
            () -> {
              try {
                lanes.close();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    closer.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (closer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // until close() waits for the conversation in progress
    }
    release.countDown();
    closer.join(10_000);

    assertThat(closer.isAlive()).isFalse();
    assertThat(finished).hasValue(1);
    assertThat(queuedRan).hasValue(0);
  }

  @Test
  void oneLaneRunsOnTheCallersThread() throws Exception {
    Thread caller = Thread.currentThread();
    List<Thread> ranOn = new ArrayList<>();
    try (Lanes lanes = new Lanes(1, "test")) {
      lanes.submit("a", () -> ranOn.add(Thread.currentThread()));
    }
    assertThat(ranOn).containsExactly(caller);
  }

  @Test
  void aLaneCountBelowOneIsRefused() {
    assertThatThrownBy(() -> new Lanes(0, "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
