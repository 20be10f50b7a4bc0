package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler wants sent back.
 *
 * @param status HTTP status
 * @param body bytes of the body (empty for 304)
 * @param headers extra headers
 * @param dropAfterBody true: send the headers and half of the body, then cut the connection
 */
// Internal value carriers, never compared or hashed, so a byte[] component is harmless.
@SuppressWarnings("ArrayRecordComponent")
record SimResponse(int status, byte[] body, Map<String, String> headers, boolean dropAfterBody) {
  static final ObjectMapper JSON = new ObjectMapper();

  SimResponse {
    headers = Map.copyOf(headers);
  }

  static SimResponse json(int status, JsonNode body) {
    return json(status, body, Map.of());
  }

  static SimResponse json(int status, JsonNode body, Map<String, String> headers) {
    try {
      return new SimResponse(status, JSON.writeValueAsBytes(body), headers, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The error body. LivePerson documents no common error shape (reference 3.9 calls the wording
   * unconfirmed), so every simulated error uses {@code {"error":{"code":N,"message":"…"}}}.
   */
  static SimResponse error(int status, String message) {
    return error(status, message, Map.of());
  }

  static SimResponse error(int status, String message, Map<String, String> headers) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", status);
    error.put("message", message);
    return json(status, body, headers);
  }

  static SimResponse notModified(Map<String, String> headers) {
    return new SimResponse(304, new byte[0], headers, false);
  }

  SimResponse droppedMidBody() {
    return new SimResponse(status, body, headers, true);
  }

  SimResponse withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new SimResponse(status, body, h, dropAfterBody);
  }
}
