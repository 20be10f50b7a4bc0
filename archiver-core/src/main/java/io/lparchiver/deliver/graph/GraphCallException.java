package io.lparchiver.deliver.graph;

import io.lparchiver.deliver.DeliveryException;
import java.time.Duration;

/**
 * A Graph call that failed, with what the caller needs to decide: the status and Graph error code,
 * and whether the outcome is ambiguous (a write that may have been executed although no reply
 * arrived: look the item up before writing again).
 */
public final class GraphCallException extends DeliveryException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final boolean ambiguous;
  private final Duration retryAfter;

  GraphCallException(
      String message,
      boolean retriable,
      int status,
      String code,
      boolean ambiguous,
      Duration retryAfter,
      Throwable cause) {
    super(message, retriable, cause);
    this.status = status;
    this.code = code;
    this.ambiguous = ambiguous;
    this.retryAfter = retryAfter;
  }

  /** HTTP status, 0 when no reply arrived. */
  public int status() {
    return status;
  }

  /** Graph's {@code error.code}, or empty. */
  public String code() {
    return code;
  }

  public boolean ambiguous() {
    return ambiguous;
  }

  /** How long the service asked to wait, zero when it did not say. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
