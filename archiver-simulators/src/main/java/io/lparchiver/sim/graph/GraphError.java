package io.lparchiver.sim.graph;

import java.util.Map;

/** A request Graph rejects: becomes {@code {"error":{"code","message","innerError"}}}. */
final class GraphError extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, String> headers;

  GraphError(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  GraphError(int status, String code, String message, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  Map<String, String> headers() {
    return headers;
  }

  static GraphError badRequest(String code, String message) {
    return new GraphError(400, code, message);
  }

  static GraphError notFound(String code, String message) {
    return new GraphError(404, code, message);
  }
}
