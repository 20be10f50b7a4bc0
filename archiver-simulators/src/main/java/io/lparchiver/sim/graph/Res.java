package io.lparchiver.sim.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler sends back.
 *
 * @param status HTTP status
 * @param body body bytes (empty for 204)
 * @param headers extra headers
 * @param oauth true for token-endpoint replies (no Graph request-id headers)
 */
// Internal value carrier, never compared or hashed, so a byte[] component is harmless.
@SuppressWarnings("ArrayRecordComponent")
record Res(int status, byte[] body, Map<String, String> headers, boolean oauth) {
  static final ObjectMapper JSON = new ObjectMapper();

  Res {
    headers = Map.copyOf(headers);
  }

  static Res json(int status, JsonNode body) {
    try {
      return new Res(status, JSON.writeValueAsBytes(body), Map.of(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Res noContent() {
    return new Res(204, new byte[0], Map.of(), false);
  }

  static Res graphError(GraphError e, String requestId, String clientRequestId, String date) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", e.code());
    error.put("message", e.getMessage());
    ObjectNode inner = error.putObject("innerError");
    inner.put("date", date);
    inner.put("request-id", requestId);
    inner.put("client-request-id", clientRequestId);
    return json(e.status(), body).withHeaders(e.headers());
  }

  Res withHeaders(Map<String, String> extra) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.putAll(extra);
    return new Res(status, body, h, oauth);
  }

  Res asOAuth() {
    return new Res(status, body, headers, true);
  }
}
