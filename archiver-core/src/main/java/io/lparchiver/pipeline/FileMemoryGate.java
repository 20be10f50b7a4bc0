package io.lparchiver.pipeline;

import io.lparchiver.source.FileAdmission;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the hosted files the lanes hold in memory. A conversation is held in memory whole while it
 * is archived: its files, and its email carrying them in base64, about 2.5 times their size. Each
 * lane may hold up to {@link #perConversation()} bytes of files; a conversation with more takes the
 * one large-conversation turn first, so only one such conversation is in memory at a time, whatever
 * its size, and the others wait for it before reading their large files.
 *
 * <p>Never deadlocks: a conversation asks for the turn at most once and, holding it, never waits
 * here again; one waiting for the turn holds no more than {@link #perConversation()} bytes.
 */
final class FileMemoryGate {

  private static final Logger log = LoggerFactory.getLogger(FileMemoryGate.class);

  static final long MIN_PER_CONVERSATION = 4L * 1024 * 1024;
  static final long MAX_PER_CONVERSATION = 64L * 1024 * 1024;

  private final long perConversation;
  private final Semaphore turn = new Semaphore(1);

  FileMemoryGate(long perConversation) {
    if (perConversation < 0) {
      throw new IllegalArgumentException("perConversation must not be negative");
    }
    this.perConversation = perConversation;
  }

  /**
   * A gate for {@code lanes} lanes in a heap of {@code maxHeapBytes}: the lanes' files together, at
   * 2.5 times in memory, stay within about a third of the heap, between 4 and 64 MB a lane.
   */
  static FileMemoryGate forHeap(long maxHeapBytes, int lanes) {
    long share = maxHeapBytes / (8L * Math.max(1, lanes));
    return new FileMemoryGate(
        Math.max(MIN_PER_CONVERSATION, Math.min(MAX_PER_CONVERSATION, share)));
  }

  long perConversation() {
    return perConversation;
  }

  /** The admission of one conversation's files; closed when the conversation is done with. */
  Ticket open(String conversation) {
    return new Ticket(conversation);
  }

  /** One conversation's files; used by the one lane archiving it. */
  final class Ticket implements FileAdmission, AutoCloseable {
    private final String conversation;
    private final Map<String, Long> admitted = new HashMap<>(); // a retried path: its last size
    private boolean holdsTurn;

    private Ticket(String conversation) {
      this.conversation = conversation;
    }

    @Override
    public void admit(String relativePath, long bytes) throws InterruptedException {
      admitted.put(relativePath, bytes);
      long total = admitted.values().stream().mapToLong(Long::longValue).sum();
      if (total > perConversation && !holdsTurn) {
        if (!turn.tryAcquire()) {
          log.info(
              "{}: {} bytes of hosted files, more than the {} a lane holds at once;"
                  + " waiting for the large conversation before it to be archived",
              conversation,
              total,
              perConversation);
          turn.acquire();
        }
        holdsTurn = true;
      }
    }

    /** Whether this conversation holds the large-conversation turn. */
    boolean holdsTurn() {
      return holdsTurn;
    }

    @Override
    public void close() {
      if (holdsTurn) {
        holdsTurn = false;
        turn.release();
      }
    }
  }
}
