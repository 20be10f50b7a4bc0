package io.lparchiver.deliver.imap;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Receipt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The copies that the lanes append to one mailbox at once, sent together (group append): while
 * {@code slots} appends to a mailbox are under way, the copies for it wait, and the next lane to
 * get a slot sends every copy waiting then (up to a count and a size) in one command. An IMAP
 * server saves a mailbox's messages one transaction at a time, so for a mailbox that many
 * conversations share (a bot's, the fallback) a batch costs the server about what one message does.
 * Each copy still gets its own receipt or failure, and a lane returns only once its copy's command
 * has been answered.
 *
 * <p>Thread-safe.
 */
final class GroupedAppends {

  /** One copy waiting, then its outcome. */
  static final class Copy {
    final ArchiveEmail email;
    final Date internalDate;
    private Receipt receipt; // guarded by the mailbox's queue
    private DeliveryException failure; // guarded by the mailbox's queue
    private RuntimeException bug; // guarded by the mailbox's queue
    private boolean taken; // guarded by the mailbox's queue
    private boolean done; // guarded by the mailbox's queue

    Copy(ArchiveEmail email, Date internalDate) {
      this.email = email;
      this.internalDate = internalDate;
    }
  }

  /** Sends a batch: each copy's receipt, in the batch's order, or a failure for all of them. */
  @FunctionalInterface
  interface Sender {
    List<Outcome> send(List<Copy> batch) throws DeliveryException;
  }

  /** What became of one copy of a batch: a receipt, a failure, or (a defect) a bug. */
  record Outcome(Receipt receipt, DeliveryException failure, RuntimeException bug) {
    static Outcome of(Receipt receipt) {
      return new Outcome(receipt, null, null);
    }

    static Outcome failed(DeliveryException failure) {
      return new Outcome(null, failure, null);
    }
  }

  private static final class Queue {
    final ArrayDeque<Copy> waiting = new ArrayDeque<>();
    int sending;
  }

  private final int slots;
  private final int maxCopies;
  private final long maxBytes;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();

  /**
   * @param slots appends under way at once per mailbox (its connections)
   * @param maxCopies most copies in one command
   * @param maxBytes most bytes in one command (a larger copy goes alone)
   */
  GroupedAppends(int slots, int maxCopies, long maxBytes) {
    this.slots = slots;
    this.maxCopies = maxCopies;
    this.maxBytes = maxBytes;
  }

  /** Appends {@code email} to {@code mailbox} together with what other lanes append meanwhile. */
  Receipt append(String mailbox, ArchiveEmail email, Date internalDate, Sender sender)
      throws DeliveryException {
    Queue queue = queues.computeIfAbsent(mailbox, m -> new Queue());
    Copy mine = new Copy(email, internalDate);
    boolean interrupted = false;
    synchronized (queue) {
      queue.waiting.addLast(mine);
    }
    while (true) {
      List<Copy> batch;
      synchronized (queue) {
        while (!mine.done && (mine.taken || queue.sending >= slots)) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            interrupted = true; // the copy may be on its way: its answer decides what follows
          }
        }
        if (mine.done) {
          break;
        }
        queue.sending++;
        batch = take(queue);
      }
      send(queue, batch, sender);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    synchronized (queue) {
      if (mine.bug != null) {
        throw mine.bug;
      }
      if (mine.failure != null) {
        throw mine.failure;
      }
      return mine.receipt;
    }
  }

  /** How many copies wait for the mailbox, for tests. */
  int waiting(String mailbox) {
    Queue queue = queues.get(mailbox);
    if (queue == null) {
      return 0;
    }
    synchronized (queue) {
      return queue.waiting.size();
    }
  }

  private List<Copy> take(Queue queue) {
    List<Copy> batch = new ArrayList<>();
    long bytes = 0;
    while (!queue.waiting.isEmpty() && batch.size() < maxCopies) {
      Copy next = queue.waiting.peekFirst();
      if (!batch.isEmpty() && bytes + next.email.size() > maxBytes) {
        break;
      }
      queue.waiting.pollFirst();
      next.taken = true;
      bytes += next.email.size();
      batch.add(next);
    }
    return batch;
  }

  /** Sends a batch and hands each copy its outcome; every copy of it is done afterwards. */
  private static void send(Queue queue, List<Copy> batch, Sender sender) {
    try {
      List<Outcome> outcomes = sender.send(batch);
      if (outcomes.size() != batch.size()) {
        throw new IllegalStateException(
            outcomes.size() + " outcomes for a batch of " + batch.size() + " copies");
      }
      complete(queue, batch, outcomes::get);
    } catch (DeliveryException e) {
      complete(queue, batch, i -> Outcome.failed(e));
    } catch (RuntimeException e) {
      complete(queue, batch, i -> new Outcome(null, null, e));
    } catch (Error e) {
      complete(queue, batch, i -> new Outcome(null, null, new IllegalStateException(e)));
      throw e;
    }
  }

  private static void complete(Queue queue, List<Copy> batch, IntFunction<Outcome> outcome) {
    synchronized (queue) {
      queue.sending--;
      for (int i = 0; i < batch.size(); i++) {
        Copy copy = batch.get(i);
        Outcome o = outcome.apply(i);
        copy.receipt = o.receipt();
        copy.failure = o.failure();
        copy.bug = o.bug();
        copy.done = true;
      }
      queue.notifyAll();
    }
  }
}
