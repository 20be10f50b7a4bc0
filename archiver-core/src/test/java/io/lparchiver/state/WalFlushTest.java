package io.lparchiver.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A durable write may return only after a flush that began once it was committed; the writes
 * committed while a flush is under way share the next one.
 */
class WalFlushTest {

  private static final Path WAL = Path.of("/state/lp-archiver.db-wal");

  @Test
  void aCommitMadeDuringAFlushWaitsForTheNextOneWhichTheOthersShare() throws Exception {
    AtomicInteger flushes = new AtomicInteger();
    CountDownLatch firstEntered = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    WalFlush wal =
        new WalFlush(
            WAL,
            () -> {
              if (flushes.incrementAndGet() == 1) {
                firstEntered.countDown();
                await(releaseFirst);
              }
            });
    long first = wal.committed();
    Thread a = start(() -> wal.awaitDurable(first));
    assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
    // committed while the first flush is under way: it may not cover them
    long second = wal.committed();
    long third = wal.committed();
    Thread b = start(() -> wal.awaitDurable(second));
    Thread c = start(() -> wal.awaitDurable(third));
    awaitWaiting(b);
    awaitWaiting(c);
    assertThat(a.isAlive()).isTrue();

    releaseFirst.countDown();
    for (Thread t : new Thread[] {a, b, c}) {
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(flushes.get()).isEqualTo(2); // the first, then one for the second and third
    assertThat(wal.flushes()).isEqualTo(2);

    wal.awaitDurable(third); // flushed already: no flush
    assertThat(flushes.get()).isEqualTo(2);
  }

  @Test
  void eachCommitAfterTheLastFlushNeedsAFlushOfItsOwnWhenAlone() {
    AtomicInteger flushes = new AtomicInteger();
    WalFlush wal = new WalFlush(WAL, flushes::incrementAndGet);
    for (int i = 1; i <= 3; i++) {
      wal.awaitDurable(wal.committed());
      assertThat(flushes.get()).isEqualTo(i);
    }
  }

  @Test
  void aFailedFlushStopsTheWriteWithTheFileAndTheFix() {
    WalFlush wal =
        new WalFlush(
            WAL,
            () -> {
              throw new IOException("Input/output error");
            });
    long commit = wal.committed();
    assertThatThrownBy(() -> wal.awaitDurable(commit))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(WAL.toString())
        .hasMessageContaining("Input/output error")
        .hasMessageContaining("check the disk");
    assertThat(wal.flushes()).isZero();
  }

  @Test
  void afterCloseAnUnflushedCommitIsReportedNotTakenAsDurable() {
    WalFlush wal = new WalFlush(WAL, () -> {});
    long commit = wal.committed();
    wal.close();
    assertThatThrownBy(() -> wal.awaitDurable(commit))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("closed");
  }

  private static Thread start(Runnable r) {
    Thread t = new Thread(r, "wal-flush-test");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void awaitWaiting(Thread t) throws InterruptedException {
    for (int i = 0; i < 1_000 && t.getState() != Thread.State.WAITING; i++) {
      Thread.sleep(10);
    }
    assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the flush");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
