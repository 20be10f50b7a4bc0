package io.lparchiver.deliver;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which Message-IDs an archive folder may hold, for a sink's {@code find}: the folder is listed
 * once per run, after which a Message-ID it does not hold (the usual case: a new copy) is answered
 * without asking the target. Asking per copy made a run quadratic in the folder's size (a Maildir
 * listing, an IMAP {@code SEARCH HEADER} over every message).
 *
 * <p>A Bloom filter of a fixed size over (folder, Message-ID), so what a run holds does not grow
 * with the archive: a bigger archive costs more false "may hold" answers, which the sink settles
 * with its exact lookup, never more memory. "Does not hold" is certain for what was listed plus
 * what the sink added since. With the default {@link #DEFAULT_BITS} (4 MB) and {@link #PROBES}
 * probes a false "may hold" is about one lookup in 40,000,000 at 500,000 archived items, one in
 * 2,300 at 2,000,000 and one in 18 at 5,000,000 (the Bloom filter's formula, which {@code
 * DeliveredIndexTest} checks on a small filter); the bits are allocated when the first item is
 * recorded.
 *
 * <p>Only lp-archiver writes these Message-IDs, and the state store's lock allows one lp-archiver
 * per archive at a time, so nothing else adds them while a run goes. Kafka Connect is the
 * exception: several sink tasks write one archive, each for its own partitions, so a task that
 * takes over a partition calls {@link #forgetListings} (the previous owner may have written copies
 * that its ledger does not record). Thread-safe.
 */
public final class DeliveredIndex {

  /** 2^25 bits: 4 MB. */
  static final int DEFAULT_BITS = 1 << 25;

  /** Bits set per item; fewer than optimal for 2,000,000 items (11), to degrade slowly past it. */
  static final int PROBES = 8;

  private final int bits;
  private final Set<String> listedFolders = new HashSet<>();
  private long[] words;

  public DeliveredIndex() {
    this(DEFAULT_BITS);
  }

  /** {@code bits}: a power of two of at least 64. */
  DeliveredIndex(int bits) {
    if (bits < 64 || Integer.bitCount(bits) != 1) {
      throw new IllegalArgumentException("bits must be a power of two >= 64, was " + bits);
    }
    this.bits = bits;
  }

  /** Whether {@code folder} may hold {@code messageId}; empty when the folder was not listed. */
  public synchronized Optional<Boolean> mayHold(String folder, String messageId) {
    if (!listedFolders.contains(folder)) {
      return Optional.empty();
    }
    return Optional.of(words != null && contains(hash(folder, messageId)));
  }

  /**
   * Another writer may have added copies since the folders were listed: the next {@link #mayHold}
   * of every folder answers empty, so the sink lists it again. What was recorded stays (it can only
   * cost exact lookups). Call it when no listing is in progress.
   */
  public synchronized void forgetListings() {
    listedFolders.clear();
  }

  /** Records the listing of {@code folder}: every Message-ID in it. */
  public synchronized void listed(String folder, Iterable<String> messageIds) {
    // merged, not replaced: a copy added while another thread listed stays known
    messageIds.forEach(id -> add(hash(folder, id)));
    listedFolders.add(folder);
  }

  /**
   * Records a copy just written, also before the folder is listed (a listing taken meanwhile may
   * miss it). Also call it when a write failed in a way that may have left the copy behind (a
   * connection lost mid-APPEND): the next {@code find} then asks the target.
   */
  public synchronized void added(String folder, String messageId) {
    add(hash(folder, messageId));
  }

  /**
   * Starts a listing of {@code folder} that arrives in parts (pages of a remote listing): each part
   * is recorded as it comes, under this index's lock only for that part, so a long listing holds up
   * no other folder; the folder counts as listed only once {@link Listing#complete()} is called.
   */
  public Listing listing(String folder) {
    return new Listing(folder);
  }

  /** A folder listing being collected; not thread-safe (one lister per listing). */
  public final class Listing {
    private final String folder;

    private Listing(String folder) {
      this.folder = folder;
    }

    public void add(String messageId) {
      long hash = hash(folder, messageId);
      synchronized (DeliveredIndex.this) {
        DeliveredIndex.this.add(hash);
      }
    }

    /** The folder now counts as listed: what was added to the index meanwhile is kept. */
    public void complete() {
      synchronized (DeliveredIndex.this) {
        listedFolders.add(folder);
      }
    }
  }

  private void add(long hash) {
    if (words == null) {
      words = new long[bits / 64];
    }
    long step = step(hash);
    for (int i = 0; i < PROBES; i++) {
      int bit = (int) (hash + i * step) & (bits - 1);
      words[bit >>> 6] |= 1L << bit;
    }
  }

  private boolean contains(long hash) {
    long step = step(hash);
    for (int i = 0; i < PROBES; i++) {
      int bit = (int) (hash + i * step) & (bits - 1);
      if ((words[bit >>> 6] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** The second hash of double hashing: odd, so the probes of one item never repeat a bit. */
  private static long step(long hash) {
    return mix(hash ^ 0x9e3779b97f4a7c15L) | 1;
  }

  /**
   * 64-bit FNV-1a over the folder, a separator and the id, then mixed (FNV's low bits are its
   * weakest, and the probes take the low bits). Over chars, not bytes: no array per lookup.
   */
  static long hash(String folder, String messageId) {
    long h = 0xcbf29ce484222325L;
    h = fnv(h, folder);
    h = (h ^ 0x1f) * 0x100000001b3L; // a separator no folder name holds
    return mix(fnv(h, messageId));
  }

  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
