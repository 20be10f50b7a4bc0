package io.lparchiver.source.liveperson;

/**
 * Thrown by a response reader when a 2xx answer cannot be accepted as it is (a {@code
 * partialResult} page, a body cut off mid-JSON): the call is retried like a 5xx.
 */
public final class IncompleteResponseException extends Exception {

  private static final long serialVersionUID = 1L;

  public IncompleteResponseException(String reason) {
    super(reason);
  }

  public IncompleteResponseException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
