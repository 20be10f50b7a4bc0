package io.lparchiver.source;

/** LivePerson could not be read: the message says what failed and what to do about it. */
public class SourceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Whether trying again later may succeed (throttling, outages) or a person must act (auth). */
  public enum Kind {
    RETRIES_EXHAUSTED,
    AUTHENTICATION,
    BAD_REQUEST,
    NOT_FOUND
  }

  private final Kind kind;

  public SourceException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SourceException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
