package io.lparchiver.pipeline;

/**
 * Every recent delivery failed: the target itself is failing (credentials, permissions, a full or
 * missing store, an outage), not one item. The run stops instead of dead-lettering everything one
 * by one; the checkpoint has not moved past what was delivered, so the next run resumes.
 */
public class TargetFailingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Consecutive failed copies, across conversations, after which a run stops. */
  static final int FAILURES_IN_A_ROW = 10;

  TargetFailingException(String target, String lastError) {
    super(
        "stopped: the last "
            + FAILURES_IN_A_ROW
            + " deliveries to the "
            + target
            + " target all failed; fix the target and run again (nothing is lost: they are kept"
            + " as dead letters, and the window in progress is read again)."
            + " Last error: "
            + lastError);
  }
}
