package io.lparchiver.model;

/** Where a conversation came from in LivePerson. */
public enum Channel {
  /** Messaging Interactions API (service {@code msgHist}). */
  MESSAGING,
  /** Engagement History API (service {@code engHistDomain}), legacy chat. */
  CHAT;

  /** The value used in headers, file names and the ledger. */
  public String label() {
    return this == MESSAGING ? "messaging" : "chat";
  }
}
