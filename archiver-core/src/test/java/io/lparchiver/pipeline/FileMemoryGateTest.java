package io.lparchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gate on hosted files in memory: small conversations never wait, one large conversation at a
 * time, a retried download is not counted twice, and the lane-share follows the heap.
 */
class FileMemoryGateTest {

  private static final long MB = 1024 * 1024;

  @Test
  void conversationsWithinTheirShareNeverWaitEvenWhileALargeOneHoldsTheTurn() throws Exception {
    FileMemoryGate gate = new FileMemoryGate(10 * MB);
    try (FileMemoryGate.Ticket large = gate.open("large")) {
      large.admit("/big", 100 * MB);
      assertThat(large.holdsTurn()).isTrue();
      try (FileMemoryGate.Ticket small = gate.open("small")) {
        small.admit("/a", 6 * MB);
        small.admit("/b", 4 * MB); // exactly the share: still no turn needed
        assertThat(small.holdsTurn()).isFalse();
      }
      large.admit("/big-2", 100 * MB); // the holder never waits again
    }
  }

  @Test
  void aSecondLargeConversationWaitsUntilTheFirstIsDone() throws Exception {
    FileMemoryGate gate = new FileMemoryGate(10 * MB);
    FileMemoryGate.Ticket first = gate.open("first");
    first.admit("/big", 50 * MB);
    CountDownLatch asking = new CountDownLatch(1);
    FutureTask<Boolean> second =
        new FutureTask<>(
            () -> {
              try (FileMemoryGate.Ticket t = gate.open("second")) {
                t.admit("/small", 5 * MB);
                asking.countDown();
                t.admit("/large", 20 * MB); // over the share: waits for the turn
                return t.holdsTurn();
              }
            });
    new Thread(second, "second-lane").start();
    assertThat(asking.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(200); // give it time to get past the gate if it wrongly could
    assertThat(second.isDone()).as("waits while the first holds the turn").isFalse();

    first.close();
    assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
    try (FileMemoryGate.Ticket third = gate.open("third")) {
      third.admit("/large", 20 * MB);
      assertThat(third.holdsTurn()).as("the second gave the turn back").isTrue();
    }
  }

  @Test
  void aRetriedDownloadReplacesItsSizeInsteadOfAddingIt() throws Exception {
    FileMemoryGate gate = new FileMemoryGate(10 * MB);
    try (FileMemoryGate.Ticket t = gate.open("retried")) {
      t.admit("/file", 6 * MB);
      t.admit("/file", 6 * MB);
      assertThat(t.holdsTurn()).isFalse();
      t.admit("/other", 5 * MB);
      assertThat(t.holdsTurn()).isTrue();
    }
  }

  @Test
  void eachLaneHoldsAnEighthOfItsShareOfTheHeapWithinFourAndSixtyFourMegabytes() {
    assertThat(FileMemoryGate.forHeap(8192 * MB, 16).perConversation()).isEqualTo(64 * MB);
    assertThat(FileMemoryGate.forHeap(1024 * MB, 16).perConversation()).isEqualTo(8 * MB);
    assertThat(FileMemoryGate.forHeap(512 * MB, 16).perConversation()).isEqualTo(4 * MB);
    assertThat(FileMemoryGate.forHeap(256 * MB, 16).perConversation()).isEqualTo(4 * MB);
    assertThat(FileMemoryGate.forHeap(1024 * MB, 1).perConversation()).isEqualTo(64 * MB);
  }
}
