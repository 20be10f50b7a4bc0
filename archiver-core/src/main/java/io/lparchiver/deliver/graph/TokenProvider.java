package io.lparchiver.deliver.graph;

import io.lparchiver.deliver.DeliveryException;

/**
 * Gives a bearer token for Microsoft Graph. Implementations cache the token and refresh it before
 * it expires. Thread-safe.
 */
public interface TokenProvider {

  /** A valid access token; never logged by anyone. */
  String accessToken() throws DeliveryException;

  /** Drops the cached token after the API rejected it (401), so the next call gets a new one. */
  void invalidate(String rejectedToken);
}
