package io.lparchiver.sim.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A routed request: path groups decoded, query parsed, body read (at most 4 MB).
 *
 * @param method HTTP method
 * @param path raw path
 * @param groups decoded path groups of the route
 * @param query decoded query parameters
 * @param headers lower-cased header names to first values
 * @param body the body
 */
// Internal value carrier, never compared or hashed, so a byte[] component is harmless.
@SuppressWarnings("ArrayRecordComponent")
record Req(
    String method,
    String path,
    List<String> groups,
    Map<String, String> query,
    Map<String, String> headers,
    byte[] body) {

  Optional<String> param(String name) {
    return Optional.ofNullable(query.get(name));
  }

  Optional<String> header(String lowerCaseName) {
    return Optional.ofNullable(headers.get(lowerCaseName));
  }

  String group(int i) {
    return groups.get(i);
  }
}
