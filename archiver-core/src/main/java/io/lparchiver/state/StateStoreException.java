package io.lparchiver.state;

/**
 * The state store cannot be opened or written. The message names the file and what to do; the
 * pipeline stops the run on it (exit code 1), as the ledger is what makes delivery exactly-once.
 */
public final class StateStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StateStoreException(String message) {
    super(message);
  }

  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
