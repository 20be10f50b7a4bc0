package io.lparchiver.sim.liveperson;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link SeededDataSet#generate(DataSetSpec)} produces.
 *
 * @param conversations number of messaging conversations (about 90% CLOSE, the rest OPEN)
 * @param agents number of users in the Users API (one more agent, absent from it, appears in
 *     conversations)
 * @param seed seed of {@link java.util.Random}; the same spec always yields the same JSON
 * @param endOfRange conversations start before this instant
 * @param spanDays conversation start times spread over this many days before {@code endOfRange}
 * @param chats number of legacy chats (Engagement History), all ended, over the same span
 */
public record DataSetSpec(
    int conversations, int agents, long seed, Instant endOfRange, int spanDays, int chats) {

  /** Bounds keep a typo from allocating millions of records in a test. */
  public static final int MAX_CONVERSATIONS = 1_000_000;

  public static final int MAX_AGENTS = 1_000;

  public DataSetSpec {
    Objects.requireNonNull(endOfRange, "endOfRange");
    if (conversations < 0 || conversations > MAX_CONVERSATIONS) {
      throw new IllegalArgumentException("conversations must be 0.." + MAX_CONVERSATIONS);
    }
    if (chats < 0 || chats > MAX_CONVERSATIONS) {
      throw new IllegalArgumentException("chats must be 0.." + MAX_CONVERSATIONS);
    }
    if (agents < 1 || agents > MAX_AGENTS) {
      throw new IllegalArgumentException("agents must be 1.." + MAX_AGENTS);
    }
    if (spanDays < 1 || spanDays > 400) {
      throw new IllegalArgumentException("spanDays must be 1..400 (API retention is 13 months)");
    }
  }

  /** Messaging only: no legacy chats. */
  public DataSetSpec(int conversations, int agents, long seed, Instant endOfRange, int spanDays) {
    this(conversations, agents, seed, endOfRange, spanDays, 0);
  }

  /** The same spec with {@code chats} legacy chats. */
  public DataSetSpec withChats(int chats) {
    return new DataSetSpec(conversations, agents, seed, endOfRange, spanDays, chats);
  }

  /** The demo shape: 200 conversations, 5 agents, 60 days. */
  public static DataSetSpec demo(long seed, Instant endOfRange) {
    return new DataSetSpec(200, 5, seed, endOfRange, 60);
  }
}
