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
 * @param maxAttachmentBytes largest attachment the tenant takes (Graph: 150 MB per upload session);
 *     larger ones are externalised
 * @param requestBudget requests per mailbox within {@code budgetWindow} (Graph: 10,000 per 10
 *     minutes per app and mailbox); the client waits rather than exceed it
 * @param budgetWindow the window of {@code requestBudget}
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
    Duration firstBackoff,
    long maxAttachmentBytes,
    int requestBudget,
    Duration budgetWindow) {

  /** Graph's per-attachment limit for upload sessions. */
  public static final long MAX_ATTACHMENT_BYTES = 150L * 1024 * 1024;

  /** Graph's request limit per app and mailbox, per {@link #BUDGET_WINDOW}. */
  public static final int REQUEST_BUDGET = 10_000;

  public static final Duration BUDGET_WINDOW = Duration.ofMinutes(10);

  public static final URI DEFAULT_AUTHORITY = URI.create("https://login.microsoftonline.com");
  public static final URI DEFAULT_BASE_URL = URI.create("https://graph.microsoft.com/v1.0");

  public GraphSettings {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(credential, "credential");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (maxAttachmentBytes < 1 || requestBudget < 1) {
      throw new IllegalArgumentException(
          "target.graph.maxAttachmentSize and target.graph.requestBudget must be positive");
    }
    authority = trimSlash(authority);
    baseUrl = trimSlash(baseUrl);
  }

  /** Settings with Graph's own attachment limit and request budget. */
  public GraphSettings(
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
    this(
        tenantId,
        clientId,
        credential,
        authority,
        baseUrl,
        folderName,
        requestTimeout,
        maxAttempts,
        maxRetryAfter,
        firstBackoff,
        MAX_ATTACHMENT_BYTES,
        REQUEST_BUDGET,
        BUDGET_WINDOW);
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

  /** The same settings with another attachment limit and request budget. */
  public GraphSettings withLimits(long maxAttachmentBytes, int requestBudget, Duration window) {
    return new GraphSettings(
        tenantId,
        clientId,
        credential,
        authority,
        baseUrl,
        folderName,
        requestTimeout,
        maxAttempts,
        maxRetryAfter,
        firstBackoff,
        maxAttachmentBytes,
        requestBudget,
        window);
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
