package io.lparchiver.deliver;

/** A copy could not be delivered. Retriable failures are retried; the rest are dead-lettered. */
public class DeliveryException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  public DeliveryException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public DeliveryException(String message, boolean retriable) {
    this(message, retriable, null);
  }

  public boolean retriable() {
    return retriable;
  }
}
