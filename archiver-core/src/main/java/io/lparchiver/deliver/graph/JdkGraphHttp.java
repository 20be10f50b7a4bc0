package io.lparchiver.deliver.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.http.WholeExchange;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GraphHttp} on {@code java.net.http}. Limits: {@value #PER_MAILBOX} requests in flight per
 * mailbox (Graph's Outlook limit per app and mailbox), a fair semaphore released while waiting out
 * throttling; at most {@link GraphSettings#requestBudget} requests per mailbox per {@link
 * GraphSettings#budgetWindow} ({@link RequestBudget}); {@link GraphSettings#maxAttempts} attempts
 * per request.
 */
public final class JdkGraphHttp implements GraphHttp {

  static final int PER_MAILBOX = 4;
  private static final Logger log = LoggerFactory.getLogger(JdkGraphHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final GraphSettings settings;
  private final HttpClient client;
  private final TokenProvider tokens;
  private final Map<String, Semaphore> perMailbox = new ConcurrentHashMap<>();
  private final RequestBudget budget;

  public JdkGraphHttp(GraphSettings settings, HttpClient client, TokenProvider tokens) {
    this(settings, client, tokens, Clock.systemUTC());
  }

  public JdkGraphHttp(
      GraphSettings settings, HttpClient client, TokenProvider tokens, Clock clock) {
    this.settings = settings;
    this.client = client;
    this.tokens = tokens;
    this.budget = new RequestBudget(settings.requestBudget(), settings.budgetWindow(), clock);
  }

  /** The HTTP client both the token provider and the API use. */
  public static HttpClient newClient() {
    return io.lparchiver.tls.TlsTrust.httpClient()
        .connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private record Error(String code, String message) {}

  @Override
  public GraphResponse send(GraphRequest r) throws DeliveryException {
    Semaphore slot =
        r.mailbox().isEmpty()
            ? null
            : perMailbox.computeIfAbsent(r.mailbox(), k -> new Semaphore(PER_MAILBOX, true));
    boolean reauthenticated = false;
    for (int attempt = 1; attempt <= settings.maxAttempts() + 1; attempt++) {
      String token = r.authenticated() ? tokens.accessToken() : "";
      HttpResponse<byte[]> response;
      try {
        response = exchange(r, token, slot);
      } catch (IOException e) {
        Optional<String> untrusted =
            io.lparchiver.tls.TlsTrust.explain(e, settings.baseUrl().getHost() + " (Graph)");
        if (untrusted.isPresent()) {
          throw new DeliveryException("Microsoft Graph: " + untrusted.get(), false, e);
        }
        if (!r.idempotent()) {
          throw new GraphCallException(
              r.what() + ": no reply from Graph (" + describe(e) + "), the write may have happened",
              true,
              0,
              "",
              true,
              Duration.ZERO,
              e);
        }
        if (attempt >= settings.maxAttempts()) {
          throw new GraphCallException(
              r.what() + ": Graph unreachable after " + attempt + " attempts: " + describe(e),
              true,
              0,
              "",
              false,
              Duration.ZERO,
              e);
        }
        pause(backoff(attempt));
        continue;
      }
      int status = response.statusCode();
      if (status < 300) {
        return new GraphResponse(status, response.headers().map(), response.body());
      }
      Error error = error(response.body());
      Duration retryAfter = retryAfter(response);
      if (status == 401 && r.authenticated() && !reauthenticated) {
        tokens.invalidate(token); // expired or revoked: one fresh token, then give up
        reauthenticated = true;
        attempt--;
        continue;
      }
      boolean throttled = status == 429 || status == 503;
      boolean serverError = status >= 500;
      if (serverError && !r.idempotent()) {
        throw new GraphCallException(
            r.what()
                + ": Graph answered "
                + status
                + " "
                + error.code()
                + ", the write may have happened",
            true,
            status,
            error.code(),
            true,
            retryAfter,
            null);
      }
      if (throttled || serverError) {
        logThrottle(r, status, error, retryAfter, attempt);
        if (attempt >= settings.maxAttempts()) {
          throw new GraphCallException(
              r.what()
                  + " for "
                  + mailboxLabel(r)
                  + ": still throttled or unavailable after "
                  + attempt
                  + " attempts (HTTP "
                  + status
                  + " "
                  + error.code()
                  + "); retry later",
              true,
              status,
              error.code(),
              false,
              retryAfter,
              null);
        }
        pause(retryAfter.isZero() ? backoff(attempt) : retryAfter);
        continue;
      }
      throw failure(r, status, error);
    }
    throw new GraphCallException(r.what() + ": gave up", true, 0, "", false, Duration.ZERO, null);
  }

  /** The kind of I/O failure, and for a timeout which limit ran out. */
  private static String describe(IOException e) {
    return e instanceof HttpTimeoutException
        ? e.getClass().getSimpleName() + ": " + e.getMessage()
        : e.getClass().getSimpleName();
  }

  private HttpResponse<byte[]> exchange(GraphRequest r, String token, Semaphore slot)
      throws IOException, DeliveryException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(r.uri())
            .timeout(settings.requestTimeout())
            .header("client-request-id", UUID.randomUUID().toString());
    if (r.uri().getScheme().equals("http")) {
      b.version(HttpClient.Version.HTTP_1_1); // loopback simulator: no h2c upgrade dance
    }
    if (r.authenticated()) {
      b.header("Authorization", "Bearer " + token);
    }
    r.headers().forEach(b::header);
    if (r.body() == null) {
      b.method(r.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", r.contentType());
      b.method(r.method(), HttpRequest.BodyPublishers.ofByteArray(r.body()));
    }
    acquire(r, slot);
    try {
      return WholeExchange.send(
          client,
          b.build(),
          HttpResponse.BodyHandlers.ofByteArray(),
          settings.requestTimeout(),
          "the Graph request timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphCallException(
          r.what() + ": interrupted", true, 0, "", !r.idempotent(), Duration.ZERO, e);
    } finally {
      if (slot != null) {
        slot.release();
      }
    }
  }

  private void acquire(GraphRequest r, Semaphore slot) throws DeliveryException {
    if (slot == null) {
      return;
    }
    boolean held = false;
    try {
      long waitMs = settings.requestTimeout().toMillis() * 4;
      if (!slot.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
        throw new GraphCallException(
            r.what() + " for " + r.mailbox() + ": no free request slot for " + waitMs + " ms",
            true,
            0,
            "",
            false,
            Duration.ZERO,
            null);
      }
      held = true;
      // counted right before sending, so Graph sees no more than the budget in any window
      budget.take(r.mailbox());
    } catch (InterruptedException e) {
      if (held) {
        slot.release();
      }
      Thread.currentThread().interrupt();
      throw new GraphCallException(
          r.what() + ": interrupted", true, 0, "", false, Duration.ZERO, e);
    }
  }

  private static void logThrottle(
      GraphRequest r, int status, Error error, Duration wait, int attempt) {
    String kind =
        error.message().contains("MailboxConcurrency")
            ? "MailboxConcurrency (more than 4 requests in flight for this mailbox)"
            : status == 429
                ? "ApplicationThrottled (request or upload budget per app and mailbox)"
                : "service unavailable (" + status + ")";
    log.info(
        "Graph throttled {} for {}: {} [{}], waiting {} ms (attempt {})",
        r.what(),
        mailboxLabel(r),
        kind,
        error.code(),
        wait.toMillis(),
        attempt);
  }

  private static String mailboxLabel(GraphRequest r) {
    return r.mailbox().isEmpty() ? "the tenant" : r.mailbox();
  }

  /** What cannot be retried: names the permission, the limit or the mailbox to fix. */
  private static GraphCallException failure(GraphRequest r, int status, Error e) {
    String graph = " (HTTP " + status + " " + e.code() + ": " + e.message() + ")";
    String message;
    if (status == 403) {
      message =
          "Microsoft Graph denied "
              + r.what()
              + " for "
              + mailboxLabel(r)
              + graph
              + ". The app registration needs the application permission "
              + r.permission()
              + " with admin consent; if mailbox access is scoped (RBAC for Applications in"
              + " Exchange Online or an application access policy), include this mailbox."
              + " See docs/microsoft365.md.";
    } else if (status == 401) {
      message =
          "Microsoft Graph rejected a fresh access token for "
              + r.what()
              + graph
              + "; check target.graph.tenantId and target.graph.baseUrl (same cloud as the authority)";
    } else if ("MailboxNotEnabledForRESTAPI".equals(e.code())) {
      message =
          mailboxLabel(r)
              + " has no Exchange Online mailbox"
              + graph
              + "; license it, or map the participant to another mailbox";
    } else if (status == 413) {
      message = r.what() + " exceeds Graph's 4 MB request limit" + graph;
    } else {
      message = r.what() + " failed at " + r.safeTarget() + graph;
    }
    return new GraphCallException(message, false, status, e.code(), false, Duration.ZERO, null);
  }

  private static Error error(byte[] body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null) {
        JsonNode error = json.path("error");
        return new Error(error.path("code").asText(""), error.path("message").asText(""));
      }
    } catch (IOException e) {
      // not JSON: keep the status alone
    }
    return new Error("", "");
  }

  /** Retry-After in seconds, integer or decimal ("10", "2.128"), capped. */
  private Duration retryAfter(HttpResponse<byte[]> response) {
    Optional<String> value = response.headers().firstValue("Retry-After");
    if (value.isEmpty()) {
      return Duration.ZERO;
    }
    try {
      long ms = (long) (Double.parseDouble(value.get().trim()) * 1000);
      Duration d = Duration.ofMillis(Math.max(ms, 0));
      return d.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : d;
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  private Duration backoff(int attempt) {
    Duration d = settings.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
    d = d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    long jitter = ThreadLocalRandom.current().nextLong(d.toMillis() / 4 + 1);
    return d.plusMillis(jitter);
  }

  static void pause(Duration d) throws DeliveryException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted while waiting for Graph", true, e);
    }
  }
}
