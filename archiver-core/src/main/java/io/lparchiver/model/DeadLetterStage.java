package io.lparchiver.model;

/**
 * The pipeline stage at which a conversation could not go on; shown in reports and used by retry.
 */
public enum DeadLetterStage {
  FETCH,
  PARSE,
  MAP,
  RENDER,
  DELIVER;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
