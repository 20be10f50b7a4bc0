package io.lparchiver.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Archives several conversations at once, so that parsing and rendering on one core overlap with
 * waiting on the target (an fsync, an IMAP APPEND, a Graph request) for another. Work of one key (a
 * conversation) runs one at a time and in the order submitted, so its versions are archived in
 * order; otherwise any idle lane takes the oldest waiting work, so one slow conversation holds up
 * only its own key, not the reader or a share of the others. At most {@code 2 × lanes} pieces of
 * work wait, and the reader waits when they do: memory stays bounded whatever the size of a window.
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

  private final List<Thread> threads = new ArrayList<>();
  private final int capacity;
  private final Object lock = new Object();
  // guarded by lock: the work of each key that is queued or running (the running one first)
  private final Map<String, ArrayDeque<Work>> byKey = new HashMap<>();
  // guarded by lock: keys with queued work and none running, oldest first
  private final ArrayDeque<String> ready = new ArrayDeque<>();
  private int queued; // guarded by lock: submitted, not started
  private int pending; // guarded by lock: submitted, not finished
  private Throwable failure; // guarded by lock
  private boolean closed; // guarded by lock

  Lanes(int count, String name) {
    if (count < 1) {
      throw new IllegalArgumentException("lanes: count must be at least 1, was " + count);
    }
    this.capacity = count * QUEUED_PER_LANE;
    if (count == 1) {
      return;
    }
    for (int i = 0; i < count; i++) {
      Thread thread = new Thread(this::drain, name + "-lane-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Queues {@code work} behind the earlier work of {@code key}; waits while the lanes are full. */
  void submit(String key, Work work) throws InterruptedException {
    rethrowFailure();
    if (threads.isEmpty()) {
      work.run();
      return;
    }
    synchronized (lock) {
      while (queued >= capacity && failure == null && !closed) {
        lock.wait();
      }
      if (closed) {
        throw new IllegalStateException("lanes: submit after close");
      }
      if (failure == null) {
        ArrayDeque<Work> ofKey = byKey.get(key);
        if (ofKey == null) {
          ofKey = new ArrayDeque<>();
          byKey.put(key, ofKey);
          ready.addLast(key); // nothing of this key running: any lane may take it
        }
        ofKey.addLast(work);
        queued++;
        pending++;
        lock.notifyAll();
        return;
      }
    }
    rethrowFailure(); // a lane failed while this waited for room: the work is not queued
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

  private void drain() {
    while (true) {
      String key;
      Work work;
      synchronized (lock) {
        while (ready.isEmpty() && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return; // closed
          }
        }
        if (ready.isEmpty()) {
          return; // closed and nothing to take
        }
        key = ready.pollFirst();
        work = byKey.get(key).peekFirst(); // stays first while it runs: the key is busy
        queued--;
        lock.notifyAll(); // room for the reader
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
        ArrayDeque<Work> rest = byKey.get(key);
        rest.pollFirst();
        if (rest.isEmpty()) {
          byKey.remove(key);
        } else {
          ready.addLast(key); // the key's next work, behind the keys that waited meanwhile
        }
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
      // what has not started is dropped; the running work of a key (one not ready) stays first
      var it = byKey.entrySet().iterator();
      while (it.hasNext()) {
        var entry = it.next();
        int keep = ready.contains(entry.getKey()) ? 0 : 1;
        ArrayDeque<Work> work = entry.getValue();
        int dropped = work.size() - keep;
        queued -= dropped;
        pending -= dropped;
        while (work.size() > keep) {
          work.pollLast();
        }
        if (work.isEmpty()) {
          it.remove();
        }
      }
      ready.clear();
      lock.notifyAll();
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
