package io.lparchiver.state;

/**
 * A conversation version committed to the state but perhaps not yet durable against power loss
 * ({@link StateStore#commitVersion}): pass it to {@link StateStore#awaitDurable} before a copy that
 * names it is written.
 */
public final class CommittedVersion {

  private final RecordedVersion recorded;
  private final long commit;

  CommittedVersion(RecordedVersion recorded, long commit) {
    this.recorded = recorded;
    this.commit = commit;
  }

  /** The version, and whether the call recorded it. */
  public RecordedVersion recorded() {
    return recorded;
  }

  /** The commit's number, for {@link WalFlush}. */
  long commit() {
    return commit;
  }
}
