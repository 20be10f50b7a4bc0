package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.source.SourceException;
import io.lparchiver.source.liveperson.StubServer.Answer;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LivePersonHttpTest {

  static final OAuth1Credentials CREDENTIALS =
      new OAuth1Credentials("app-key", "app-secret-XYZ", "access-token", "token-secret-XYZ");
  static final RetryPolicy FAST =
      new RetryPolicy(
          4,
          Duration.ofMillis(100),
          Duration.ofMillis(400),
          Duration.ofSeconds(30),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          2);
  private static final Instant NOW = Instant.parse("2025-01-10T12:00:00Z");

  private final StubServer server = new StubServer();
  private final List<Duration> waits = new ArrayList<>();
  private final LivePersonHttp http = http(FAST, waits::add);

  static LivePersonHttp http(RetryPolicy policy, Sleeper sleeper) {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    return new LivePersonHttp(
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
        OAuth1Signer.create(CREDENTIALS, clock),
        CREDENTIALS,
        policy,
        sleeper,
        clock,
        new SplittableRandom(7));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String get() {
    return http.get(
        LivePersonApi.MESSAGING_INTERACTIONS,
        server.uri("/x?source=t"),
        Map.of(),
        r -> new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void signsEveryCallAndNeverSendsTheSecrets() {
    server.answer(Answer.of(200, "ok"));

    assertThat(get()).isEqualTo("ok");
    String auth = server.seen().get(0).header("Authorization");
    assertThat(auth).startsWith("OAuth ").contains("oauth_consumer_key=\"app-key\"");
    assertThat(auth).doesNotContain("app-secret-XYZ").doesNotContain("token-secret-XYZ");
  }

  @Test
  void honoursRetryAfterInSeconds() {
    server.answer(Answer.of(429, Map.of("Retry-After", "3"), ""), Answer.of(200, "ok"));

    assertThat(get()).isEqualTo("ok");
    assertThat(waits).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void honoursRetryAfterAsAnHttpDateCapped() {
    String inTenSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.ofInstant(NOW.plusSeconds(10), ZoneOffset.UTC));
    String inAnHour =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.ofInstant(NOW.plusSeconds(3600), ZoneOffset.UTC));
    server.answer(
        Answer.of(429, Map.of("Retry-After", inTenSeconds), ""),
        Answer.of(429, Map.of("Retry-After", inAnHour), ""),
        Answer.of(200, "ok"));

    assertThat(get()).isEqualTo("ok");
    assertThat(waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  @Test
  void retriesServerErrorsAndDroppedConnectionsWithGrowingJitteredBackoff() {
    server.answer(
        Answer.of(500, "{\"error\":\"boom\"}"),
        Answer.dropped("{\"long\":\"" + "x".repeat(10_000) + "\"}"),
        Answer.of(503, ""),
        Answer.of(200, "ok"));

    assertThat(get()).isEqualTo("ok");
    assertThat(waits).hasSize(3);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(waits.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void retriesAnswersTheReaderRejectsAsIncomplete() {
    server.answer(Answer.of(200, "partial"), Answer.of(200, "whole"));

    String body =
        http.get(
            LivePersonApi.MESSAGING_INTERACTIONS,
            server.uri("/x"),
            Map.of(),
            r -> {
              String text = new String(r.body(), StandardCharsets.UTF_8);
              if (text.equals("partial")) {
                throw new IncompleteResponseException("partialResult page");
              }
              return text;
            });

    assertThat(body).isEqualTo("whole");
    assertThat(server.seen()).hasSize(2);
  }

  @Test
  void givesUpAfterTheConfiguredAttempts() {
    server.answer(
        Answer.of(500, "a"), Answer.of(500, "b"), Answer.of(500, "c"), Answer.of(502, "d"));

    assertThatThrownBy(this::get)
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("after 4 attempts")
        .hasMessageContaining("HTTP 502")
        .extracting(e -> ((SourceException) e).kind())
        .isEqualTo(SourceException.Kind.RETRIES_EXHAUSTED);
    assertThat(server.seen()).hasSize(4);
    assertThat(waits).hasSize(3);
  }

  @Test
  void authenticationFailuresNameTheKeysAndPermissionButNoSecret() {
    server.answer(Answer.of(401, "{\"error\":\"bad signature for app-secret-XYZ\"}"));

    assertThatThrownBy(this::get)
        .isInstanceOf(SourceException.class)
        .satisfies(
            e -> {
              SourceException se = (SourceException) e;
              assertThat(se.kind()).isEqualTo(SourceException.Kind.AUTHENTICATION);
              assertThat(se.getMessage())
                  .contains("source.liveperson.auth.consumerSecret")
                  .contains("Data → Engagement History")
                  .contains("bad signature")
                  .doesNotContain("app-secret-XYZ")
                  .doesNotContain("token-secret-XYZ")
                  .doesNotContain("oauth_signature");
            });
    assertThat(server.seen()).hasSize(1); // never retried
  }

  @Test
  void forbiddenOnTheUsersApiNamesItsPermission() {
    server.answer(Answer.of(403, ""));

    assertThatThrownBy(
            () -> http.get(LivePersonApi.USERS, server.uri("/u"), Map.of(), r -> "unused"))
        .hasMessageContaining("Administration → Users")
        .extracting(e -> ((SourceException) e).kind())
        .isEqualTo(SourceException.Kind.AUTHENTICATION);
  }

  @Test
  void engagementHistorys302IsThrottlingRetriedAndNeverFollowed() {
    server.answer(
        Answer.of(302, Map.of("Location", "/elsewhere"), "Too many requests"),
        Answer.of(302, Map.of("Location", "/elsewhere", "Retry-After", "2"), ""),
        Answer.of(200, "ok"));

    String body =
        http.get(
            LivePersonApi.ENGAGEMENT_HISTORY,
            server.uri("/eh?source=t"),
            Map.of(),
            r -> new String(r.body(), StandardCharsets.UTF_8));

    assertThat(body).isEqualTo("ok");
    assertThat(server.seen()).extracting(s -> s.uri().getPath()).containsOnly("/eh");
    assertThat(waits).hasSize(2).endsWith(Duration.ofSeconds(2));
  }

  @Test
  void a302FromAnotherApiIsNotThrottlingAndIsNotFollowed() {
    server.answer(Answer.of(302, Map.of("Location", "/elsewhere"), ""));

    assertThatThrownBy(this::get)
        .hasMessageContaining("HTTP 302")
        .extracting(e -> ((SourceException) e).kind())
        .isEqualTo(SourceException.Kind.BAD_REQUEST);
    assertThat(server.seen()).hasSize(1);
  }

  @Test
  void refusesAClientThatFollowsRedirects() {
    HttpClient following =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    assertThatThrownBy(
            () ->
                new LivePersonHttp(
                    following,
                    OAuth1Signer.create(CREDENTIALS, Clock.systemUTC()),
                    CREDENTIALS,
                    FAST,
                    waits::add,
                    Clock.systemUTC(),
                    new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redirects");
  }

  @Test
  void otherClientErrorsCarryLivePersonsErrorText() {
    server.answer(
        Answer.of(400, "{\"message\":\"start window is over 3 months\"}"), Answer.of(404, "gone"));

    assertThatThrownBy(this::get)
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("start window is over 3 months")
        .extracting(e -> ((SourceException) e).kind())
        .isEqualTo(SourceException.Kind.BAD_REQUEST);
    assertThatThrownBy(this::get)
        .extracting(e -> ((SourceException) e).kind())
        .isEqualTo(SourceException.Kind.NOT_FOUND);
  }

  @Test
  void backoffDoublesUpToItsCap() {
    assertThat(FAST.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(FAST.backoff(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(FAST.backoff(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(FAST.backoff(30)).isEqualTo(Duration.ofMillis(400));
  }
}
