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
 * @param fileBytes size of the largest hosted file; each file's size is derived from its path,
 *     between a sixteenth of this and this
 * @param largeFilePercent share of hosted files, in percent, that are instead between {@link
 *     #LARGE_FILE_MIN_BYTES} and {@link #LARGE_FILE_MAX_BYTES} (the benchmark's shape: about 5 % of
 *     conversations with a 100 KB to 3 MB file); which ones is derived from the path
 */
public record DataSetSpec(
    int conversations,
    int agents,
    long seed,
    Instant endOfRange,
    int spanDays,
    int chats,
    int fileBytes,
    int largeFilePercent) {

  /** LivePerson's consumer upload limit is 3 MB; the default stays well under it. */
  public static final int DEFAULT_FILE_BYTES = 64 * 1024;

  /** A large hosted file's size range: up to LivePerson's consumer upload limit. */
  public static final int LARGE_FILE_MIN_BYTES = 100 * 1024;

  public static final int LARGE_FILE_MAX_BYTES = 3 * 1024 * 1024;

  /** Room for tests of large attachments without letting a typo fill the heap. */
  public static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

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
    if (fileBytes < 16 || fileBytes > MAX_FILE_BYTES) {
      throw new IllegalArgumentException("fileBytes must be 16.." + MAX_FILE_BYTES);
    }
    if (largeFilePercent < 0 || largeFilePercent > 100) {
      throw new IllegalArgumentException("largeFilePercent must be 0..100");
    }
    if (spanDays < 1 || spanDays > 400) {
      throw new IllegalArgumentException("spanDays must be 1..400 (API retention is 13 months)");
    }
  }

  /** Messaging only: no legacy chats. */
  public DataSetSpec(int conversations, int agents, long seed, Instant endOfRange, int spanDays) {
    this(conversations, agents, seed, endOfRange, spanDays, 0);
  }

  /** With legacy chats and hosted files of the default size. */
  public DataSetSpec(
      int conversations, int agents, long seed, Instant endOfRange, int spanDays, int chats) {
    this(conversations, agents, seed, endOfRange, spanDays, chats, DEFAULT_FILE_BYTES);
  }

  /** With hosted files of up to {@code fileBytes}, none large. */
  public DataSetSpec(
      int conversations,
      int agents,
      long seed,
      Instant endOfRange,
      int spanDays,
      int chats,
      int fileBytes) {
    this(conversations, agents, seed, endOfRange, spanDays, chats, fileBytes, 0);
  }

  /** The same spec with {@code chats} legacy chats. */
  public DataSetSpec withChats(int chats) {
    return new DataSetSpec(
        conversations, agents, seed, endOfRange, spanDays, chats, fileBytes, largeFilePercent);
  }

  /** The same spec with hosted files of up to {@code fileBytes} bytes. */
  public DataSetSpec withFileBytes(int fileBytes) {
    return new DataSetSpec(
        conversations, agents, seed, endOfRange, spanDays, chats, fileBytes, largeFilePercent);
  }

  /** The same spec with {@code percent} of its hosted files large (100 KB to 3 MB). */
  public DataSetSpec withLargeFiles(int percent) {
    return new DataSetSpec(
        conversations, agents, seed, endOfRange, spanDays, chats, fileBytes, percent);
  }

  /** The demo shape: 200 conversations, 5 agents, 60 days. */
  public static DataSetSpec demo(long seed, Instant endOfRange) {
    return new DataSetSpec(200, 5, seed, endOfRange, 60);
  }
}
