package io.lparchiver.wiring;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.deliver.ConnectionPool;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.deliver.graph.GraphCredential;
import io.lparchiver.deliver.graph.GraphSettings;
import io.lparchiver.deliver.graph.GraphSink;
import io.lparchiver.deliver.imap.ImapSettings;
import io.lparchiver.deliver.imap.ImapSink;
import io.lparchiver.deliver.maildir.MaildirSink;
import io.lparchiver.deliver.smtp.SmtpSettings;
import io.lparchiver.deliver.smtp.SmtpSink;
import io.lparchiver.mapping.CachingUserDirectory;
import io.lparchiver.mapping.MailboxDirectory;
import io.lparchiver.mapping.MappingFileException;
import io.lparchiver.mapping.MappingOverrides;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.AgentUser;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import io.lparchiver.overflow.Externaliser;
import io.lparchiver.overflow.OverflowStore;
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.FileFetcher;
import io.lparchiver.source.liveperson.AllowedHosts;
import io.lparchiver.source.liveperson.FileDownloadSettings;
import io.lparchiver.source.liveperson.HostedFileFetcher;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.source.liveperson.LivePersonSettings;
import io.lparchiver.source.liveperson.OAuth1Credentials;
import io.lparchiver.source.liveperson.RetryPolicy;
import io.lparchiver.tls.TlsTrust;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds each stage from the validated configuration: the one place that knows both the config and
 * the stages' own settings, shared by the command line and the Kafka Connect plugin so that the
 * same YAML or connector keys mean the same thing in both. Configuration problems that only show
 * when a stage is built are {@link ConfigException}s naming the key.
 */
public final class Stages {

  private Stages() {}

  /** Stores parts above a target's limit under {@code archive.overflowDir}. */
  public static Externaliser overflow(ArchiverConfig config) {
    return new Externaliser(overflowStore(config));
  }

  /** The files under {@code archive.overflowDir} (default {@code overflow} in state.dir). */
  public static OverflowStore overflowStore(ArchiverConfig config) {
    return new OverflowStore(config.archive().overflowDirOr(config.state().dir()));
  }

  /** Downloads hosted files with the configured user login . */
  public static FileFetcher fileFetcher(
      ArchiverConfig config, LivePersonClient client, Clock clock) {
    ArchiverConfig.Files f = config.source().liveperson().files();
    try {
      return HostedFileFetcher.create(
          client, new FileDownloadSettings(f.username(), f.password().reveal()), clock);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** One source per configured channel, in the configured order. */
  public static List<ConversationSource> sources(List<Channel> channels, LivePersonClient client) {
    return channels.stream()
        .map(c -> c == Channel.CHAT ? (ConversationSource) client.chat() : client.messaging())
        .toList();
  }

  /** The LivePerson client of the configuration . */
  public static LivePersonClient client(ArchiverConfig config, Clock clock) {
    // every client of the process is built after this, with the configured certificate checks
    TlsTrust.configure(config.tls().insecureSkipVerify());
    ArchiverConfig.LivePerson lp = config.source().liveperson();
    return LivePersonClient.create(
        new LivePersonSettings(
            lp.account(),
            lp.domainApi(),
            new OAuth1Credentials(
                lp.auth().consumerKey(),
                lp.auth().consumerSecret().reveal(),
                lp.auth().token(),
                lp.auth().tokenSecret().reveal()),
            lp.sourceName(),
            retryPolicy(lp.retry()),
            new AllowedHosts(lp.allowedHosts())),
        clock);
  }

  private static RetryPolicy retryPolicy(ArchiverConfig.Retry retry) {
    RetryPolicy d = RetryPolicy.defaults();
    if (retry.timeout().isNegative() || retry.timeout().isZero()) {
      throw new ConfigException(
          "source.liveperson.retry.timeout must be longer than 0 (for example 120s)");
    }
    return new RetryPolicy(
        retry.maxAttempts(),
        retry.initialBackoff(),
        d.maxBackoff(),
        d.maxRetryAfter(),
        d.connectTimeout(),
        retry.timeout(),
        d.maxRefetches());
  }

  /**
   * The participant mapper; with a Microsoft 365 target ({@code tenant}) the tenant's users decide
   * which mailboxes exist, otherwise the LivePerson users' addresses do.
   */
  public static ParticipantMapper mapper(
      ArchiverConfig config, LivePersonClient client, Optional<GraphSink> tenant) {
    MappingOverrides overrides;
    try {
      overrides =
          config.mapping().csv().isPresent()
              ? MappingOverrides.load(config.mapping().csv().get())
              : MappingOverrides.none();
    } catch (IOException e) {
      throw new ConfigException(
          "mapping.csv: cannot read " + config.mapping().csv().get() + ": " + e.getMessage());
    } catch (MappingFileException e) {
      throw new ConfigException("mapping.csv: " + e.getMessage());
    }
    // A Maildir holds any address; the firm's mailboxes are its LivePerson users' addresses, so
    // external consumers never get a Maildir of their own. IMAP and SMTP keep the same rule: a
    // master user could log in as anyone and a relay would mail anyone, so the directory, not the
    // target, decides whose mailbox gets a copy.
    Supplier<Set<String>> userEmails =
        memoize(
            () ->
                client.users().users().stream()
                    .map(AgentUser::email)
                    .flatMap(Optional::stream)
                    .filter(Mailbox::isValid)
                    .map(e -> new Mailbox(e).address())
                    .collect(Collectors.toUnmodifiableSet()));
    // Microsoft 365 knows its own mailboxes: the tenant's users (and their aliases) decide.
    MailboxDirectory directory =
        tenant.isPresent()
            ? tenant.get().users()::exists
            : mailbox -> userEmails.get().contains(mailbox.address());
    return new ParticipantMapper(
        overrides,
        new CachingUserDirectory(client.users()::find),
        directory,
        config.mapping().fallbackMailbox(),
        config.mapping().alwaysCopyTo());
  }

  /** The configured target. */
  public static MailboxSink sink(ArchiverConfig config, Clock clock) {
    return switch (config.target().type()) {
      case "graph" -> graph(config, clock);
      case "imap" -> new ImapSink(imapSettings(config), clock);
      case "smtp" -> new SmtpSink(smtpSettings(config), clock);
      default -> maildir(config, clock);
    };
  }

  public static ImapSettings imapSettings(ArchiverConfig config) {
    ArchiverConfig.Imap imap = config.target().imap();
    // a '.' or '/' in the folder would create nested folders on the server, as in a Maildir
    MaildirSink.validateFolderName(config.target().folder())
        .ifPresent(
            problem -> {
              throw new ConfigException(problem);
            });
    TransportSecurity security = TransportSecurity.parse(imap.security());
    try {
      return new ImapSettings(
          imap.host().orElseThrow(),
          imap.port().orElse(security == TransportSecurity.TLS ? 993 : 143),
          security,
          ImapSettings.Mode.parse(imap.mode()),
          imap.username().orElse(""),
          imap.password().reveal(),
          imap.loginTemplate(),
          config.target().folder(),
          imap.connectionsPerMailbox(),
          imap.maxIdleConnections().orElse(ConnectionPool.IDLE_FOLLOWS_KEYS),
          imap.timeout(),
          imap.oauth2()
              .map(
                  o ->
                      new ImapSettings.OAuth2(
                          o.tokenUrl(), o.clientId(), o.clientSecret().reveal(), o.scope())),
          imap.maxMessageSize().map(Integer::longValue).orElse(Long.MAX_VALUE));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  public static SmtpSettings smtpSettings(ArchiverConfig config) {
    ArchiverConfig.Smtp smtp = config.target().smtp();
    TransportSecurity security = TransportSecurity.parse(smtp.security());
    return new SmtpSettings(
        smtp.host().orElseThrow(),
        smtp.port().orElse(security == TransportSecurity.TLS ? 465 : 587),
        security,
        smtp.username(),
        smtp.password().reveal(),
        smtp.envelopeFrom().orElseThrow(),
        smtp.journalAddress(),
        smtp.connections(),
        smtp.timeout());
  }

  private static MailboxSink maildir(ArchiverConfig config, Clock clock) {
    try {
      return new MaildirSink(config.target().maildir().root(), config.target().folder(), clock);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("target.folder: " + e.getMessage());
    }
  }

  /** The Microsoft 365 target, which is also the mapping's mailbox directory. */
  public static GraphSink graph(ArchiverConfig config, Clock clock) {
    ArchiverConfig.Graph g = config.target().graph();
    GraphCredential credential =
        g.clientSecret().isPresent()
            ? new GraphCredential.ClientSecret(g.clientSecret().get().reveal())
            : new GraphCredential.ClientCertificate(
                g.certificatePath().orElseThrow(), g.certificatePassword().reveal());
    try {
      return GraphSink.create(
          GraphSettings.of(
                  g.tenantId(),
                  g.clientId(),
                  credential,
                  g.authority(),
                  g.baseUrl(),
                  config.target().folder())
              .withLimits(g.maxAttachmentSize(), g.requestBudget(), GraphSettings.BUDGET_WINDOW),
          clock,
          config.state().dir().resolve("graph-spool"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }
}
