package io.lparchiver.connect;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
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
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.liveperson.AllowedHosts;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.source.liveperson.LivePersonSettings;
import io.lparchiver.source.liveperson.OAuth1Credentials;
import io.lparchiver.source.liveperson.RetryPolicy;
import io.lparchiver.tls.TlsTrust;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds the core stages from the configuration for the connectors, with the same adapters and
 * rules as the command line's wiring ({@code io.lparchiver.app.Archiver}), which lives in the CLI
 * module that a Connect plugin must not carry.
 */
public final class Stages {

  private Stages() {}

  public static LivePersonClient client(ArchiverConfig config, Clock clock) {
    // every client of the task is built after this, with the configured certificate checks
    TlsTrust.configure(config.tls().insecureSkipVerify());
    ArchiverConfig.LivePerson lp = config.source().liveperson();
    RetryPolicy d = RetryPolicy.defaults();
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
            new RetryPolicy(
                lp.retry().maxAttempts(),
                lp.retry().initialBackoff(),
                d.maxBackoff(),
                d.maxRetryAfter(),
                d.connectTimeout(),
                d.requestTimeout(),
                d.maxRefetches()),
            new AllowedHosts(lp.allowedHosts())),
        clock);
  }

  public static ConversationSource source(LivePersonClient client, Channel channel) {
    return channel == Channel.CHAT ? client.chat() : client.messaging();
  }

  /** The configured target; Graph also serves as the mapping's mailbox directory. */
  public static MailboxSink sink(ArchiverConfig config, Clock clock) {
    ArchiverConfig.Target t = config.target();
    try {
      return switch (t.type()) {
        case "graph" -> graph(config, clock);
        case "imap" -> new ImapSink(imapSettings(config), clock);
        case "smtp" -> new SmtpSink(smtpSettings(config), clock);
        default -> new MaildirSink(t.maildir().root(), t.folder(), clock);
      };
    } catch (IllegalArgumentException e) {
      throw new ConfigException("target: " + e.getMessage());
    }
  }

  public static ParticipantMapper mapper(
      ArchiverConfig config, LivePersonClient client, MailboxSink sink) {
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
    // As in the CLI: Microsoft 365 knows its mailboxes; for the other targets the firm's mailboxes
    // are its LivePerson users' addresses, so external consumers never get a copy of their own.
    MailboxDirectory directory;
    if (sink instanceof GraphSink graph) {
      directory = graph.users()::exists;
    } else {
      Supplier<Set<String>> userEmails =
          memoize(
              () ->
                  client.users().users().stream()
                      .map(AgentUser::email)
                      .flatMap(Optional::stream)
                      .filter(Mailbox::isValid)
                      .map(e -> new Mailbox(e).address())
                      .collect(Collectors.toUnmodifiableSet()));
      directory = mailbox -> userEmails.get().contains(mailbox.address());
    }
    return new ParticipantMapper(
        overrides,
        new CachingUserDirectory(client.users()::find),
        directory,
        config.mapping().fallbackMailbox(),
        config.mapping().alwaysCopyTo());
  }

  private static ImapSettings imapSettings(ArchiverConfig config) {
    ArchiverConfig.Imap imap = config.target().imap();
    MaildirSink.validateFolderName(config.target().folder())
        .ifPresent(
            problem -> {
              throw new ConfigException(problem);
            });
    TransportSecurity security = TransportSecurity.parse(imap.security());
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
        imap.maxIdleConnections(),
        imap.timeout(),
        imap.oauth2()
            .map(
                o ->
                    new ImapSettings.OAuth2(
                        o.tokenUrl(), o.clientId(), o.clientSecret().reveal(), o.scope())));
  }

  private static SmtpSettings smtpSettings(ArchiverConfig config) {
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

  private static GraphSink graph(ArchiverConfig config, Clock clock) {
    ArchiverConfig.Graph g = config.target().graph();
    GraphCredential credential =
        g.clientSecret().isPresent()
            ? new GraphCredential.ClientSecret(g.clientSecret().get().reveal())
            : new GraphCredential.ClientCertificate(
                g.certificatePath().orElseThrow(), g.certificatePassword().reveal());
    return GraphSink.create(
        GraphSettings.of(
            g.tenantId(),
            g.clientId(),
            credential,
            g.authority(),
            g.baseUrl(),
            config.target().folder()),
        clock,
        config.state().dir().resolve("graph-spool"));
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
