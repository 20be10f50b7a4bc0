package io.lparchiver.state;

/** What tests of other packages may ask a store about its flushes of the WAL. */
public final class StateProbe {

  private StateProbe() {}

  /** The group commits made and not yet flushed; -1 for a store opened read-only. */
  public static long unflushedCommits(StateStore store) {
    return store.unflushedCommits().orElse(-1);
  }
}
