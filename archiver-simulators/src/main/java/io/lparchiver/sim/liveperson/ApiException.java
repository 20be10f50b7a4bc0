package io.lparchiver.sim.liveperson;

/** A request the simulator rejects; becomes a JSON error body with this status. */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
