package io.lparchiver.deliver.graph;

import io.lparchiver.deliver.DeliveryException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one door to Microsoft Graph: sends a request with a token, keeps at most four requests per
 * mailbox in flight, waits out 429/503 as told by Retry-After, and turns what cannot be retried
 * into a {@link GraphCallException} an operator can act on. Thread-safe.
 */
public interface GraphHttp extends AutoCloseable {

  GraphResponse send(GraphRequest request) throws DeliveryException;

  @Override
  default void close() {}

  /**
   * One request.
   *
   * @param method HTTP method
   * @param uri absolute URI (may hold a pre-authenticated upload URL: never logged with its query)
   * @param body body, or null
   * @param contentType type of the body
   * @param headers extra headers
   * @param mailbox the mailbox the request touches, for the concurrency limit; empty for none
   * @param authenticated false for upload URLs, which must not carry the Authorization header
   * @param idempotent true when re-sending after a lost reply cannot create a second item
   * @param permission the application permission the call needs, named in 403 messages
   * @param what short description for logs and errors, e.g. "create message"
   */
  // Internal value carrier, never compared or hashed, so a byte[] component is harmless.
  @SuppressWarnings("ArrayRecordComponent")
  record GraphRequest(
      String method,
      URI uri,
      byte[] body,
      String contentType,
      Map<String, String> headers,
      String mailbox,
      boolean authenticated,
      boolean idempotent,
      String permission,
      String what) {

    public GraphRequest {
      headers = Map.copyOf(headers);
    }

    /** Scheme, host and path: what may appear in a log or error (no query, no upload token). */
    String safeTarget() {
      return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }
  }

  /**
   * A response with a 2xx status.
   *
   * @param status HTTP status
   * @param headers response headers (names lower case)
   * @param body body bytes
   */
  // Internal value carrier, never compared or hashed, so a byte[] component is harmless.
  @SuppressWarnings("ArrayRecordComponent")
  record GraphResponse(int status, Map<String, List<String>> headers, byte[] body) {
    Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
  }
}
