package io.lparchiver.model;

/** What a participant is in a conversation; decides address fields and mapping rules. */
public enum Role {
  CONSUMER,
  AGENT,
  BOT,
  MANAGER,
  SYSTEM;

  public boolean isInternal() {
    return this != CONSUMER;
  }
}
