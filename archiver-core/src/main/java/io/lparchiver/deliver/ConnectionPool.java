package io.lparchiver.deliver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Bounded connections per key (an IMAP login, an SMTP server): at most {@code perKey} in use or
 * idle for one key, at most {@code maxIdle} idle across all keys (the least recently used are
 * closed). With {@link #IDLE_FOLLOWS_KEYS} the idle bound follows the work instead: {@code perKey}
 * for every key used so far, at most {@link #MAX_AUTO_IDLE}, so that a run rotating over more keys
 * than a fixed bound does not close a connection only to log in again for the next copy.
 * Connections are opened and closed outside the lock.
 *
 * @param <C> the connection type
 */
public final class ConnectionPool<C> implements AutoCloseable {

  /** Opens a new connection. */
  @FunctionalInterface
  public interface Opener<C> {
    C open() throws DeliveryException;
  }

  /** {@code maxIdle}: keep up to {@code perKey} idle connections for every key used so far. */
  public static final int IDLE_FOLLOWS_KEYS = -1;

  /** The most idle connections {@link #IDLE_FOLLOWS_KEYS} keeps, whatever the number of keys. */
  public static final int MAX_AUTO_IDLE = 256;

  private record Idle<C>(String key, C connection, Instant since) {}

  private final int perKey;
  private final int maxIdle;
  private final Duration acquireTimeout;
  private final Consumer<C> closer;
  private final Clock clock;
  private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
  private final LinkedList<Idle<C>> idle = new LinkedList<>(); // guarded by this, oldest first
  private boolean closed; // guarded by this

  public ConnectionPool(
      int perKey, int maxIdle, Duration acquireTimeout, Consumer<C> closer, Clock clock) {
    if (perKey < 1 || maxIdle < IDLE_FOLLOWS_KEYS) {
      throw new IllegalArgumentException(
          "connection pool: perKey must be at least 1 and maxIdle at least 0 (or"
              + " IDLE_FOLLOWS_KEYS), were "
              + perKey
              + " and "
              + maxIdle);
    }
    this.perKey = perKey;
    this.maxIdle = maxIdle;
    this.acquireTimeout = acquireTimeout;
    this.closer = closer;
    this.clock = clock;
  }

  /** A connection checked out of the pool; give it back with {@link #release}. */
  public record Lease<C>(String key, C connection, Duration idleFor) {}

  public Lease<C> acquire(String key, Opener<C> opener) throws DeliveryException {
    Semaphore semaphore = permits.computeIfAbsent(key, k -> new Semaphore(perKey, true));
    try {
      if (!semaphore.tryAcquire(acquireTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new DeliveryException(
            "all " + perKey + " connections for " + key + " stayed busy for " + acquireTimeout,
            true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted while waiting for a connection", true, e);
    }
    Idle<C> reused = takeIdle(key);
    if (reused != null) {
      return new Lease<>(
          key, reused.connection(), Duration.between(reused.since(), clock.instant()));
    }
    try {
      return new Lease<>(key, opener.open(), Duration.ZERO);
    } catch (DeliveryException | RuntimeException e) {
      semaphore.release();
      throw e;
    }
  }

  /** Returns a connection; a broken one ({@code reusable == false}) is closed instead. */
  public void release(Lease<C> lease, boolean reusable) {
    List<C> toClose = new ArrayList<>();
    synchronized (this) {
      int bound = idleBound();
      if (reusable && !closed && bound > 0) {
        idle.addLast(new Idle<>(lease.key(), lease.connection(), clock.instant()));
        while (idle.size() > bound) {
          toClose.add(idle.removeFirst().connection());
        }
      } else {
        toClose.add(lease.connection());
      }
    }
    toClose.forEach(closer);
    permits.get(lease.key()).release();
  }

  /** The idle bound now: fixed, or {@code perKey} per key used so far. */
  private int idleBound() {
    if (maxIdle != IDLE_FOLLOWS_KEYS) {
      return maxIdle;
    }
    return (int) Math.min((long) perKey * permits.size(), MAX_AUTO_IDLE);
  }

  private synchronized Idle<C> takeIdle(String key) {
    // newest first: the most recently used connection is the least likely to have timed out
    Iterator<Idle<C>> it = idle.descendingIterator();
    while (it.hasNext()) {
      Idle<C> candidate = it.next();
      if (candidate.key().equals(key)) {
        it.remove();
        return candidate;
      }
    }
    return null;
  }

  public synchronized int idleCount() {
    return idle.size();
  }

  @Override
  public void close() {
    List<Idle<C>> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayList<>(idle);
      idle.clear();
    }
    toClose.forEach(i -> closer.accept(i.connection()));
  }
}
