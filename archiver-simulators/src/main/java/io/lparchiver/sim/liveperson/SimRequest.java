package io.lparchiver.sim.liveperson;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as the handlers see it: already routed, body fully read.
 *
 * @param method HTTP method
 * @param host the Host header (needed for the OAuth base string)
 * @param rawPath path as received
 * @param rawQuery query as received, or null
 * @param query decoded query parameters in order
 * @param pathParams groups captured by the route
 * @param headers lower-cased header names to first values
 * @param body request body
 */
// Internal value carriers, never compared or hashed, so a byte[] component is harmless.
@SuppressWarnings("ArrayRecordComponent")
record SimRequest(
    String method,
    String host,
    String rawPath,
    String rawQuery,
    List<Map.Entry<String, String>> query,
    List<String> pathParams,
    Map<String, String> headers,
    byte[] body) {

  Optional<String> param(String name) {
    return query.stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
  }

  Optional<String> header(String lowerCaseName) {
    return Optional.ofNullable(headers.get(lowerCaseName));
  }

  String pathParam(int index) {
    return pathParams.get(index);
  }
}
