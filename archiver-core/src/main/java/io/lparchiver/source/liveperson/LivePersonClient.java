package io.lparchiver.source.liveperson;

import io.lparchiver.tls.TlsTrust;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.SplittableRandom;

/**
 * Wires the LivePerson pieces from plain values, sharing one HTTP client, signer and Domain API
 * cache:
 *
 * <pre>{@code
 * LivePersonClient lp = LivePersonClient.create(settings, clock);
 * ConversationSource messaging = lp.messaging();
 * ConversationSource chat = lp.chat();
 * UserDirectory users = lp.users()::find;
 * }</pre>
 *
 * Holds no open resources beyond the JDK client's idle connections.
 */
public final class LivePersonClient {

  private final LivePersonSettings settings;
  private final LivePersonHttp http;
  private final DomainApi domainApi;
  private final UsersApiClient users;

  private LivePersonClient(LivePersonSettings settings, LivePersonHttp http) {
    this.settings = settings;
    this.http = http;
    this.domainApi =
        new DomainApi(settings.domainApi(), settings.account(), http, settings.allowedHosts());
    this.users = new UsersApiClient(settings.account(), domainApi, http);
  }

  public static LivePersonClient create(LivePersonSettings settings, Clock clock) {
    return create(settings, clock, Sleeper.system());
  }

  /** With an injected sleeper, so tests retry without waiting. */
  public static LivePersonClient create(LivePersonSettings settings, Clock clock, Sleeper sleeper) {
    HttpClient client =
        TlsTrust.httpClient()
            .connectTimeout(settings.retryPolicy().connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    LivePersonHttp http =
        new LivePersonHttp(
            client,
            OAuth1Signer.create(settings.credentials(), clock),
            settings.credentials(),
            settings.retryPolicy(),
            sleeper,
            clock,
            new SplittableRandom());
    return new LivePersonClient(settings, http);
  }

  /** A new Messaging Interactions source (one fetch at a time per source). */
  public MessagingInteractionsSource messaging() {
    return new MessagingInteractionsSource(
        settings.account(), domainApi, http, settings.sourceName());
  }

  /** A new Engagement History (legacy chat) source (one fetch at a time per source). */
  public EngagementHistorySource chat() {
    return new EngagementHistorySource(settings.account(), domainApi, http, settings.sourceName());
  }

  /** The Users API client, shared so its cache lasts the client's life. */
  public UsersApiClient users() {
    return users;
  }

  public LivePersonSettings settings() {
    return settings;
  }

  public DomainApi domainApi() {
    return domainApi;
  }

  @Override
  public String toString() {
    return "LivePersonClient[account " + settings.account() + ", " + settings.domainApi() + "]";
  }
}
