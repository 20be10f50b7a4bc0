package io.lparchiver.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Archives several conversations at once, so that rendering on one core overlaps with waiting on
 * the target (an fsync, a Graph request) for another. A conversation always goes to the same lane
 * (by its key), so its versions are archived in order. Each lane holds a few conversations at most,
 * and the reader waits when it is full: memory stays bounded whatever the size of a window.
 *
 * <p>The first failure of any lane stops the run: it is rethrown to the reader at its next {@link
 * #submit} or {@link #awaitIdle}, and what was queued behind it is dropped unstarted (the
 * checkpoint has not moved, so the next run reads it again). With one lane, work runs on the
 * caller's thread.
 *
 * <p>Lifecycle: one per run; {@link #close} lets the conversations being archived finish, so a stop
 * never interrupts a delivery half way.
 */
final class Lanes implements AutoCloseable {

  /** A unit of work: one conversation. */
  @FunctionalInterface
  interface Work {
    void run() throws InterruptedException;
  }

  private static final int QUEUED_PER_LANE = 2;

  private final List<BlockingQueue<Work>> queues = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Object lock = new Object();
  private int pending; // guarded by lock
  private Throwable failure; // guarded by lock
  private boolean closed; // guarded by lock

  Lanes(int count, String name) {
    if (count < 1) {
      throw new IllegalArgumentException("lanes: count must be at least 1, was " + count);
    }
    if (count == 1) {
      return;
    }
    for (int i = 0; i < count; i++) {
      BlockingQueue<Work> queue = new ArrayBlockingQueue<>(QUEUED_PER_LANE);
      queues.add(queue);
      Thread thread = new Thread(() -> drain(queue), name + "-lane-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Queues {@code work} on the lane of {@code key}; waits while that lane is full. */
  void submit(String key, Work work) throws InterruptedException {
    rethrowFailure();
    if (queues.isEmpty()) {
      work.run();
      return;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("lanes: submit after close");
      }
      pending++;
    }
    queues.get(Math.floorMod(key.hashCode(), queues.size())).put(work);
  }

  /** Waits until every submitted conversation is archived; rethrows the first failure. */
  void awaitIdle() throws InterruptedException {
    synchronized (lock) {
      while (pending > 0 && failure == null) {
        lock.wait();
      }
    }
    rethrowFailure();
  }

  private void drain(BlockingQueue<Work> queue) {
    while (true) {
      Work work;
      try {
        work = queue.take();
      } catch (InterruptedException e) {
        return; // closed
      }
      Throwable thrown = null;
      try {
        boolean skip;
        synchronized (lock) {
          skip = failure != null || closed;
        }
        if (!skip) {
          work.run();
        }
      } catch (InterruptedException | RuntimeException | Error e) {
        thrown = e;
      }
      synchronized (lock) {
        pending--;
        if (thrown != null && failure == null) {
          failure = thrown;
        }
        lock.notifyAll();
      }
    }
  }

  private void rethrowFailure() throws InterruptedException {
    Throwable first;
    synchronized (lock) {
      first = failure;
    }
    if (first instanceof InterruptedException e) {
      InterruptedException copy = new InterruptedException(e.getMessage());
      copy.initCause(e);
      throw copy;
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    if (first instanceof Error e) {
      throw e;
    }
  }

  /**
   * Drops what has not started, lets the conversations in progress finish, and stops the threads.
   */
  @Override
  public void close() throws InterruptedException {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    for (BlockingQueue<Work> queue : queues) {
      List<Work> dropped = new ArrayList<>();
      queue.drainTo(dropped);
      synchronized (lock) {
        pending -= dropped.size();
      }
    }
    synchronized (lock) {
      while (pending > 0) {
        lock.wait();
      }
    }
    threads.forEach(Thread::interrupt);
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
