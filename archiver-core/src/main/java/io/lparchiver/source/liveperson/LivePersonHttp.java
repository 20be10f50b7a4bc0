package io.lparchiver.source.liveperson;

import io.lparchiver.http.WholeExchange;
import io.lparchiver.source.SourceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed, retried HTTP calls to LivePerson on {@link HttpClient}.
 *
 * <p>Classification: 429 (and the Engagement History's 302 "Too many requests") waits for {@code
 * Retry-After} (seconds or an HTTP date, capped) or backs off; 5xx, I/O errors and answers a reader
 * rejects as incomplete back off exponentially with jitter; all of these are bounded by {@link
 * RetryPolicy#maxAttempts()}. 401/403 fail at once with the config keys and permission to fix; 404
 * and other 4xx fail at once with LivePerson's error text. Neither the Authorization header nor a
 * secret ever reaches a message or a log line. Thread-safe.
 */
public final class LivePersonHttp {

  private static final Logger LOG = LoggerFactory.getLogger(LivePersonHttp.class);
  private static final int MAX_ERROR_TEXT = 500;
  private static final String AUTH_KEYS =
      "source.liveperson.auth.consumerKey, source.liveperson.auth.consumerSecret,"
          + " source.liveperson.auth.token and source.liveperson.auth.tokenSecret";

  private final HttpClient client;
  private final OAuth1Signer signer;
  private final OAuth1Credentials credentials;
  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final Clock clock;
  private final RandomGenerator jitter;

  public LivePersonHttp(
      HttpClient client,
      OAuth1Signer signer,
      OAuth1Credentials credentials,
      RetryPolicy policy,
      Sleeper sleeper,
      Clock clock,
      RandomGenerator jitter) {
    if (client.followRedirects() != HttpClient.Redirect.NEVER) {
      // EH answers throttling with a 302; following it would send the signed call elsewhere.
      throw new IllegalArgumentException("the LivePerson HTTP client must not follow redirects");
    }
    this.client = client;
    this.signer = signer;
    this.credentials = credentials;
    this.policy = policy;
    this.sleeper = sleeper;
    this.clock = clock;
    this.jitter = jitter;
  }

  /** A 2xx or 304 answer. The body array is the client's own: readers must not modify it. */
  public static final class Response {
    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;

    Response(int status, HttpHeaders headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body == null ? new byte[0] : body;
    }

    public int status() {
      return status;
    }

    public byte[] body() {
      return body;
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  /** Turns an accepted answer into a value, or rejects it as incomplete so it is fetched again. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Response response) throws IncompleteResponseException;
  }

  public RetryPolicy policy() {
    return policy;
  }

  public <T> T get(LivePersonApi api, URI uri, Map<String, String> headers, Reader<T> reader) {
    return exchange(api, "GET", uri, headers, null, reader);
  }

  public <T> T postJson(LivePersonApi api, URI uri, byte[] json, Reader<T> reader) {
    return exchange(api, "POST", uri, Map.of("Content-Type", "application/json"), json, reader);
  }

  private <T> T exchange(
      LivePersonApi api,
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      Reader<T> reader) {
    String failure = "no attempt made";
    for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
      Outcome<T> outcome = attempt(api, method, uri, headers, body, reader, attempt);
      if (outcome instanceof Outcome.Done<T> done) {
        return done.value();
      }
      Outcome.Retry<T> retry = (Outcome.Retry<T>) outcome;
      failure = retry.failure();
      if (attempt < policy.maxAttempts()) {
        LOG.warn(
            "{} {} {}: {}; retry {} of {} in {} ms",
            api.title(),
            method,
            path(uri),
            failure,
            attempt,
            policy.maxAttempts() - 1,
            retry.delay().toMillis());
        pause(api, retry.delay());
      }
    }
    throw new SourceException(
        SourceException.Kind.RETRIES_EXHAUSTED,
        api.title()
            + " "
            + method
            + " "
            + path(uri)
            + " still failing after "
            + policy.maxAttempts()
            + " attempts; last: "
            + failure);
  }

  /** What one attempt came to: a value, or a reason to try again after a wait. */
  private sealed interface Outcome<T> {
    record Done<T>(T value) implements Outcome<T> {}

    record Retry<T>(String failure, Duration delay) implements Outcome<T> {}
  }

  /** One call; permanent failures throw, retriable ones come back as {@link Outcome.Retry}. */
  private <T> Outcome<T> attempt(
      LivePersonApi api,
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      Reader<T> reader,
      int attempt) {
    try {
      HttpResponse<byte[]> raw =
          WholeExchange.send(
              client,
              request(method, uri, headers, body),
              ofBytes(),
              policy.requestTimeout(),
              "source.liveperson.retry.timeout");
      Response response = new Response(raw.statusCode(), raw.headers(), raw.body());
      int status = response.status();
      if ((status >= 200 && status < 300) || status == 304) {
        return new Outcome.Done<>(reader.read(response));
      }
      boolean throttled = status == 429 || (status == 302 && api.throttlesWithRedirect());
      if (!throttled && status < 500) {
        throw permanent(api, method, uri, response);
      }
      String failure = "HTTP " + status + errorText(response).map(t -> ": " + t).orElse("");
      Optional<Duration> retryAfter = throttled ? retryAfter(response) : Optional.empty();
      return new Outcome.Retry<>(failure, retryAfter.orElseGet(() -> backoff(attempt)));
    } catch (IncompleteResponseException e) {
      return new Outcome.Retry<>("incomplete answer: " + e.getMessage(), backoff(attempt));
    } catch (IOException e) {
      Optional<String> untrusted =
          io.lparchiver.tls.TlsTrust.explain(e, uri.getHost() + " (" + api.title() + ")");
      if (untrusted.isPresent()) {
        // retrying cannot change a certificate; a person must act
        throw new SourceException(SourceException.Kind.BAD_REQUEST, untrusted.get(), e);
      }
      return new Outcome.Retry<>("I/O error: " + e, backoff(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException(
          SourceException.Kind.RETRIES_EXHAUSTED,
          "interrupted while calling the " + api.title() + " (" + method + " " + path(uri) + ")",
          e);
    }
  }

  private HttpRequest request(String method, URI uri, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(policy.requestTimeout())
            .header("Accept", "application/json")
            .header("Authorization", signer.authorizationHeader(method, uri));
    headers.forEach(builder::header);
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    return builder.method(method, publisher).build();
  }

  private static HttpResponse.BodyHandler<byte[]> ofBytes() {
    return HttpResponse.BodyHandlers.ofByteArray();
  }

  private SourceException permanent(LivePersonApi api, String method, URI uri, Response response) {
    int status = response.status();
    String said = errorText(response).map(t -> " LivePerson said: " + t).orElse("");
    if (status == 401 || status == 403) {
      return new SourceException(
          SourceException.Kind.AUTHENTICATION,
          "LivePerson refused the app key (HTTP "
              + status
              + ") on the "
              + api.title()
              + ". Check "
              + AUTH_KEYS
              + ", and that the key has the permission "
              + api.permission()
              + "."
              + said);
    }
    SourceException.Kind kind =
        status == 404 ? SourceException.Kind.NOT_FOUND : SourceException.Kind.BAD_REQUEST;
    return new SourceException(
        kind,
        api.title() + " " + method + " " + path(uri) + " answered HTTP " + status + "." + said);
  }

  /** LivePerson's error body as one bounded line, with any secret masked. */
  private Optional<String> errorText(Response response) {
    String text = new String(response.body(), StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    text = credentials.redact(text.replaceAll("\\s+", " "));
    return Optional.of(
        text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text);
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date, capped; absent or unreadable: empty. */
  Optional<Duration> retryAfter(Response response) {
    return response.header("Retry-After").map(String::strip).flatMap(this::parseRetryAfter);
  }

  private Optional<Duration> parseRetryAfter(String value) {
    Duration wait;
    if (value.matches("\\d{1,10}")) {
      wait = Duration.ofSeconds(Long.parseLong(value));
    } else {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(clock.instant(), at);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (wait.isNegative()) {
      return Optional.of(Duration.ZERO);
    }
    return Optional.of(wait.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : wait);
  }

  /** Exponential backoff with jitter in [50%, 100%] so parallel clients do not retry in step. */
  private Duration backoff(int retry) {
    Duration base = policy.backoff(retry);
    return Duration.ofNanos((long) (base.toNanos() * (0.5 + jitter.nextDouble() * 0.5)));
  }

  private void pause(LivePersonApi api, Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceException(
          SourceException.Kind.RETRIES_EXHAUSTED,
          "interrupted while waiting to retry the " + api.title(),
          e);
    }
  }

  /** The path only: queries carry nothing secret, but paths are all a reader needs. */
  private static String path(URI uri) {
    return uri.getRawPath();
  }
}
