package io.lparchiver.source.liveperson;

import java.net.URI;
import java.util.Objects;

/**
 * Plain values for a LivePerson client ({@code source.liveperson.*}).
 *
 * @param account account (site) id
 * @param domainApi the Domain API, {@code https://api.liveperson.net} (a simulator in tests)
 * @param credentials the OAuth 1.0a app key
 * @param sourceName the {@code source} parameter LivePerson requires, at most 20 characters
 * @param retryPolicy timeouts and retries
 * @param allowedHosts hosts the Domain API may name for a service ({@code liveperson.net})
 */
public record LivePersonSettings(
    String account,
    URI domainApi,
    OAuth1Credentials credentials,
    String sourceName,
    RetryPolicy retryPolicy,
    AllowedHosts allowedHosts) {

  public static final URI DEFAULT_DOMAIN_API = URI.create("https://api.liveperson.net");

  public LivePersonSettings {
    Accounts.requireValid(account);
    Objects.requireNonNull(domainApi, "domainApi");
    Objects.requireNonNull(credentials, "credentials");
    MessagingInteractionsSource.requireSourceName(sourceName);
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(allowedHosts, "allowedHosts");
    if (domainApi.getScheme() == null || domainApi.getHost() == null) {
      throw new IllegalArgumentException(
          "source.liveperson.domainApi must be an absolute http(s) URL, was " + domainApi);
    }
  }

  /** Production defaults: LivePerson's Domain API, source "lp-archiver", default retries. */
  public static LivePersonSettings of(String account, OAuth1Credentials credentials) {
    return new LivePersonSettings(
        account,
        DEFAULT_DOMAIN_API,
        credentials,
        MessagingInteractionsSource.DEFAULT_SOURCE_NAME,
        RetryPolicy.defaults(),
        AllowedHosts.LIVEPERSON);
  }
}
