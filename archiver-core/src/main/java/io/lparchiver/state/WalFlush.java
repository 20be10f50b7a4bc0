package io.lparchiver.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Makes commits made with {@code synchronous=NORMAL} durable against power loss by flushing the WAL
 * file itself, outside SQLite's write lock, so that commits go on while the disk works and every
 * commit made before a flush began shares it (group commit, as a server database makes it).
 *
 * <p>Why it is safe: in WAL mode a commit has written its frames to the {@code -wal} file through
 * the operating system before it returns; {@code synchronous=NORMAL} only leaves out the fsync that
 * {@code FULL} makes at that point. An fsync of the file through any descriptor flushes what every
 * descriptor wrote, and the WAL is appended in commit order, so after a flush that began once
 * commit <i>n</i> had returned, commit <i>n</i> and every one before it survive a power loss
 * (SQLite itself flushes the WAL before a checkpoint copies it into the database and then the
 * database, so a WAL restarted after a checkpoint loses nothing either). SQLite locks the database
 * and {@code -shm} files, never the {@code -wal}, so this descriptor cannot release a lock of it.
 *
 * <p>Thread-safety: {@link #committed} is called by the writer (under the store's lock), {@link
 * #awaitDurable} by any thread; a flush runs with no lock held.
 */
final class WalFlush implements AutoCloseable {

  /** The flush of the file: an fsync in production, something observable in tests. */
  @FunctionalInterface
  interface Flusher {
    void flush() throws IOException;
  }

  private final Path wal;
  private final Flusher flusher;
  private FileChannel channel; // guarded by this; opened at the first flush
  private Object openKey; // guarded by this: the file key (inode) of the open channel
  private long committed; // guarded by this: commits made so far
  private long durable; // guarded by this: commits known flushed
  private boolean flushing; // guarded by this
  private long flushes; // guarded by this
  private boolean closed; // guarded by this

  /** Flushes {@code wal}, the {@code -wal} file of the database, with an fsync. */
  WalFlush(Path wal) {
    this.wal = wal;
    this.flusher = () -> channel().force(true);
  }

  /** With another flush, for tests of the coordination. */
  WalFlush(Path wal, Flusher flusher) {
    this.wal = wal;
    this.flusher = flusher;
  }

  /** The {@code -wal} file SQLite keeps beside {@code database} in WAL mode. */
  static Path walOf(Path database) {
    return database.resolveSibling(database.getFileName() + "-wal");
  }

  /** Counts a commit just made on the writer connection; returns its number. */
  synchronized long committed() {
    return ++committed;
  }

  /**
   * Returns once commit {@code commit} (a number from {@link #committed}) is durable: at once when
   * a flush that began after it has ended, else after the flush under way and, when that began
   * before the commit, one more, which this thread makes for every commit made by then.
   */
  void awaitDurable(long commit) {
    boolean interrupted = false;
    try {
      while (true) {
        long upTo;
        synchronized (this) {
          while (durable < commit && flushing) {
            try {
              wait();
            } catch (InterruptedException e) {
              interrupted = true; // the commit is made: the caller must not go on before it holds
            }
          }
          if (durable >= commit) {
            return;
          }
          if (closed) {
            throw new StateStoreException(
                "cannot flush "
                    + wal
                    + ": the state store is closed; the write is committed but"
                    + " may not survive a power loss");
          }
          flushing = true;
          upTo = committed;
        }
        IOException failure = null;
        try {
          flusher.flush();
        } catch (IOException e) {
          failure = e;
        }
        synchronized (this) {
          flushing = false;
          if (failure == null) {
            durable = Math.max(durable, upTo);
            flushes++;
          }
          notifyAll();
        }
        if (failure != null) {
          // after a failed fsync the kernel may drop the dirty pages: a retry could "succeed"
          throw new StateStoreException(
              "cannot flush "
                  + wal
                  + " to disk ("
                  + failure
                  + "): check the disk and the system log; the run stops so that nothing is"
                  + " written to a mailbox that the state could lose",
              failure);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How many commits were made since the last flush began, for tests. */
  synchronized long unflushed() {
    return committed - durable;
  }

  /** How many flushes were made, for tests and diagnosis. */
  synchronized long flushes() {
    return flushes;
  }

  /**
   * The open WAL file. Opened at the first flush, after a commit: SQLite removes the file when its
   * last connection closes (another process's, or Flyway's at open) and creates it at the next
   * write. Opened again if the file at the path is no longer the one open, so a flush never goes to
   * a removed file (what that held was checkpointed into the database before it was removed).
   */
  private synchronized FileChannel channel() throws IOException {
    Object current;
    try {
      current = Files.readAttributes(wal, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      throw new IOException(
          "SQLite keeps no WAL file at " + wal + " after a commit in WAL mode (" + e + ")", e);
    }
    if (channel != null && (current == null || !current.equals(openKey))) {
      channel.close();
      channel = null;
    }
    if (channel == null) {
      // never written through: opened for writing only because some systems flush no other way
      channel = FileChannel.open(wal, StandardOpenOption.READ, StandardOpenOption.WRITE);
      openKey = current;
    }
    return channel;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing is written through it: closing cannot lose data
      }
      channel = null;
    }
  }
}
