package io.lparchiver.overflow;

/** An email could not be made to fit a target's limit. */
public class OverflowException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  public OverflowException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  /** True for I/O trouble (disk full, permissions fixed later); false when no fit is possible. */
  public boolean retriable() {
    return retriable;
  }
}
