package io.lparchiver.deliver.graph;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach Microsoft Graph.
 *
 * @param tenantId directory (tenant) id or verified domain
 * @param clientId application (client) id of the app registration
 * @param credential secret or certificate
 * @param authority login host, e.g. {@code https://login.microsoftonline.com}
 * @param baseUrl Graph root incl. version, e.g. {@code https://graph.microsoft.com/v1.0}
 * @param folderName the Inbox child folder that receives the copies
 * @param requestTimeout per HTTP request
 * @param maxAttempts attempts per request on 429/503 and (for reads) I/O errors, at least 1
 * @param maxRetryAfter longest wait honoured from a Retry-After header
 * @param firstBackoff wait before the first retry when no Retry-After is given; doubles
 */
public record GraphSettings(
    String tenantId,
    String clientId,
    GraphCredential credential,
    URI authority,
    URI baseUrl,
    String folderName,
    Duration requestTimeout,
    int maxAttempts,
    Duration maxRetryAfter,
    Duration firstBackoff) {

  public static final URI DEFAULT_AUTHORITY = URI.create("https://login.microsoftonline.com");
  public static final URI DEFAULT_BASE_URL = URI.create("https://graph.microsoft.com/v1.0");

  public GraphSettings {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(credential, "credential");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    authority = trimSlash(authority);
    baseUrl = trimSlash(baseUrl);
  }

  /** Production defaults for timeouts and retries. */
  public static GraphSettings of(
      String tenantId,
      String clientId,
      GraphCredential credential,
      URI authority,
      URI baseUrl,
      String folderName) {
    return new GraphSettings(
        tenantId,
        clientId,
        credential,
        authority,
        baseUrl,
        folderName,
        Duration.ofSeconds(120),
        8,
        Duration.ofSeconds(120),
        Duration.ofSeconds(1));
  }

  public GraphSettings withRetries(int attempts, Duration firstBackoff) {
    return new GraphSettings(
        tenantId,
        clientId,
        credential,
        authority,
        baseUrl,
        folderName,
        requestTimeout,
        attempts,
        maxRetryAfter,
        firstBackoff);
  }

  /** The token endpoint of the tenant. */
  URI tokenEndpoint() {
    return URI.create(authority + "/" + tenantId + "/oauth2/v2.0/token");
  }

  /** The {@code .default} scope of the Graph root named by baseUrl (sovereign clouds too). */
  String scope() {
    return baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + "/.default";
  }

  private static URI trimSlash(URI uri) {
    String s = Objects.requireNonNull(uri, "url").toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
  }
}
