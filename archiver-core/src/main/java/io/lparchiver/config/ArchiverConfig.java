package io.lparchiver.config;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration, one typed and validated object (loaded by {@link ConfigLoader}). Key
 * names follow the YAML file; every key is documented in docs/configuration.md.
 */
public record ArchiverConfig(
    Source source,
    Mapping mapping,
    Target target,
    State state,
    Schedule schedule,
    Server server,
    Alerts alerts,
    Archive archive,
    Tls tls,
    Audit audit) {

  /** {@code tls:} certificate checks of every outbound connection (on unless turned off). */
  public record Tls(boolean insecureSkipVerify) {}

  /** {@code source:} */
  public record Source(LivePerson liveperson) {}

  /** {@code source.liveperson:} */
  public record LivePerson(
      String account,
      URI domainApi,
      Auth auth,
      List<Channel> channels,
      Instant backfillFrom,
      String sourceName,
      Duration updateLag,
      Retry retry,
      List<String> allowedHosts,
      Files files) {}

  /**
   * {@code source.liveperson.files:} download hosted files with a user login (username and password
   * are present when enabled; validated at load).
   */
  public record Files(boolean enabled, String username, Secret password) {}

  /** {@code source.liveperson.retry:} */
  public record Retry(int maxAttempts, Duration initialBackoff, Duration timeout) {}

  /** {@code source.liveperson.auth:} OAuth 1.0a app key (the four values of the key). */
  public record Auth(
      String type, String consumerKey, Secret consumerSecret, String token, Secret tokenSecret) {}

  /** {@code mapping:} */
  public record Mapping(
      Optional<Path> csv, Optional<Mailbox> fallbackMailbox, List<Mailbox> alwaysCopyTo) {}

  /** {@code target:} */
  public record Target(
      String type,
      String folder,
      Maildir maildir,
      Graph graph,
      Imap imap,
      Smtp smtp,
      int concurrency) {}

  /** {@code target.imap:} (ports default by security; host, username and password required). */
  public record Imap(
      Optional<String> host,
      Optional<Integer> port,
      String security,
      boolean allowInsecure,
      String mode,
      Optional<String> username,
      Secret password,
      String loginTemplate,
      int connectionsPerMailbox,
      Optional<Integer> maxIdleConnections,
      Duration timeout,
      Optional<ImapOAuth2> oauth2,
      Optional<Integer> maxMessageSize) {}

  /** {@code target.imap.oauth2:} present when tokenUrl is set. */
  public record ImapOAuth2(
      URI tokenUrl, String clientId, Secret clientSecret, Optional<String> scope) {}

  /** {@code target.smtp:} */
  public record Smtp(
      Optional<String> host,
      Optional<Integer> port,
      String security,
      boolean allowInsecure,
      Optional<String> username,
      Secret password,
      Optional<Mailbox> envelopeFrom,
      Optional<Mailbox> journalAddress,
      int connections,
      Duration timeout) {}

  /** {@code target.maildir:} */
  public record Maildir(Path root) {}

  /** {@code target.graph:} Microsoft 365 through Microsoft Graph; a secret or a certificate. */
  public record Graph(
      String tenantId,
      String clientId,
      Optional<Secret> clientSecret,
      Optional<Path> certificatePath,
      Secret certificatePassword,
      URI authority,
      URI baseUrl,
      int maxAttachmentSize,
      int requestBudget) {}

  /** {@code state:} */
  public record State(Path dir) {}

  /** {@code schedule:} the cron expression, when set, wins over the interval. */
  public record Schedule(Duration interval, Optional<CronExpression> cron) {}

  /** {@code server:} */
  public record Server(String bind, Optional<Secret> token) {}

  /** {@code alerts:} */
  public record Alerts(Optional<URI> webhook, Duration maxLag, AlertEmail email) {}

  /** {@code alerts.email:} where alert emails go and the SMTP server that sends them. */
  public record AlertEmail(
      List<Mailbox> to,
      Optional<Mailbox> from,
      Optional<String> host,
      Optional<Integer> port,
      String security,
      boolean allowInsecure,
      Optional<String> username,
      Secret password) {

    public boolean enabled() {
      return !to.isEmpty();
    }
  }

  /**
   * {@code archive:}
   *
   * @param openSnapshotAfter age after which an open conversation gets an interim version; zero (or
   *     less) turns interim versions off
   */
  public record Archive(Optional<Path> overflowDir, Duration openSnapshotAfter) {

    /** The age after which open conversations are archived, empty when that is turned off. */
    public Optional<Duration> interimAfter() {
      return openSnapshotAfter.isZero() || openSnapshotAfter.isNegative()
          ? Optional.empty()
          : Optional.of(openSnapshotAfter);
    }

    /** The overflow directory, by default {@code overflow} inside the state directory. */
    public Path overflowDirOr(Path stateDir) {
      return overflowDir.orElse(stateDir.resolve("overflow"));
    }
  }

  /** {@code audit:} */
  public record Audit(Optional<Secret> signingKey) {}
}
