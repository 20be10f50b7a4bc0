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
 * @param cut whether and how the answer is cut off instead of sent whole
 */
// Internal value carriers, never compared or hashed, so a byte[] component is harmless.
@SuppressWarnings("ArrayRecordComponent")
record SimResponse(int status, byte[] body, Map<String, String> headers, Cut cut) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** How an answer is cut off, as a failing server or proxy would. */
  enum Cut {
    /** Sent whole. */
    NONE,
    /** Headers and half of the body, then the connection is closed. */
    DROP_MID_BODY,
    /** Nothing for the stall time, then the connection is closed. */
    STALL_BEFORE_HEADERS,
    /** Headers and half of the body, silence for the stall time, then the connection closes. */
    STALL_MID_BODY
  }

  SimResponse {
    headers = Map.copyOf(headers);
  }

  static SimResponse json(int status, JsonNode body) {
    return json(status, body, Map.of());
  }

  static SimResponse json(int status, JsonNode body, Map<String, String> headers) {
    try {
      return new SimResponse(status, JSON.writeValueAsBytes(body), headers, Cut.NONE);
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
    return new SimResponse(304, new byte[0], headers, Cut.NONE);
  }

  SimResponse droppedMidBody() {
    return cutOff(Cut.DROP_MID_BODY);
  }

  SimResponse cutOff(Cut how) {
    return new SimResponse(status, body, headers, how);
  }

  SimResponse withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new SimResponse(status, body, h, cut);
  }
}
