package io.lparchiver.app;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.config.ConfigFingerprint;
import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.graph.GraphSink;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.pipeline.DeliveryRetry;
import io.lparchiver.pipeline.DryRunJob;
import io.lparchiver.pipeline.OpenSnapshots;
import io.lparchiver.pipeline.ReconcileJob;
import io.lparchiver.pipeline.SyncJob;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.FileFetcher;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.state.AuditOptions;
import io.lparchiver.state.AuditSigner;
import io.lparchiver.state.StateStore;
import io.lparchiver.wiring.Stages;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Wires the stages from the configuration: the one place that knows every adapter. A read-only
 * archiver (dry run) opens neither the state nor the target.
 */
final class Archiver implements AutoCloseable {

  private final ArchiverConfig config;
  private final Clock clock;
  private final List<ConversationSource> sources;
  private final ParticipantMapper mapper;
  private final Optional<StateStore> state;
  private final Optional<MailboxSink> sink;
  private final Optional<FileFetcher> files;

  private Archiver(
      ArchiverConfig config,
      Clock clock,
      List<ConversationSource> sources,
      ParticipantMapper mapper,
      Optional<StateStore> state,
      Optional<MailboxSink> sink,
      Optional<FileFetcher> files) {
    this.files = files;
    this.config = config;
    this.clock = clock;
    this.sources = sources;
    this.mapper = mapper;
    this.state = state;
    this.sink = sink;
  }

  static Archiver open(ArchiverConfig config, Clock clock, boolean writable) {
    LivePersonClient client = Stages.client(config, clock);
    Optional<GraphSink> graph =
        "graph".equals(config.target().type())
            ? Optional.of(Stages.graph(config, clock))
            : Optional.empty();
    ParticipantMapper mapper = Stages.mapper(config, client, graph);
    MailboxSink sink =
        writable
            ? graph.map(MailboxSink.class::cast).orElseGet(() -> Stages.sink(config, clock))
            : null;
    StateStore state =
        writable ? StateStore.open(config.state().dir(), clock, auditOptions(config)) : null;
    return new Archiver(
        config,
        clock,
        Stages.sources(config.source().liveperson().channels(), client),
        mapper,
        Optional.ofNullable(state),
        Optional.ofNullable(sink),
        writable && config.source().liveperson().files().enabled()
            ? Optional.of(Stages.fileFetcher(config, client, clock))
            : Optional.empty());
  }

  /** The audit signer of {@code audit.signingKey}, when set. */
  static Optional<AuditSigner> auditSigner(ArchiverConfig config) {
    try {
      return config.audit().signingKey().map(key -> AuditSigner.of(key.reveal()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static AuditOptions auditOptions(ArchiverConfig config) {
    return new AuditOptions(auditSigner(config), Optional.of(ConfigFingerprint.of(config)));
  }

  /**
   * The configured target, to read archived copies back ({@code verify}); every sink is also an
   * {@link ArchiveReader}. Close it after use.
   */
  static MailboxSink readableTarget(ArchiverConfig config, Clock clock) {
    MailboxSink sink = Stages.sink(config, clock);
    if (!(sink instanceof ArchiveReader)) {
      sink.close();
      throw new IllegalStateException(
          "target.type " + config.target().type() + " cannot read copies back");
    }
    return sink;
  }

  SyncJob syncJob() {
    ArchiverConfig.LivePerson lp = config.source().liveperson();
    return new SyncJob(
        lp.account(),
        sources,
        mapper,
        new EmailRenderer(ZoneOffset.UTC),
        sink.orElseThrow(() -> new IllegalStateException("opened read-only")),
        state.orElseThrow(() -> new IllegalStateException("opened read-only")),
        clock,
        DeliveryRetry.standard(),
        lp.backfillFrom(),
        lp.updateLag(),
        config.target().concurrency(),
        Optional.of(Stages.overflow(config)),
        files,
        new OpenSnapshots(config.archive().interimAfter()));
  }

  ReconcileJob reconcileJob() {
    return new ReconcileJob(
        config.source().liveperson().account(),
        sources,
        mapper,
        sink.orElseThrow(() -> new IllegalStateException("opened read-only")),
        state.orElseThrow(() -> new IllegalStateException("opened read-only")),
        new OpenSnapshots(config.archive().interimAfter()),
        clock);
  }

  DryRunJob dryRunJob() {
    return new DryRunJob(
        sources, mapper, new OpenSnapshots(config.archive().interimAfter()), clock);
  }

  String describeTarget() {
    String where =
        switch (config.target().type()) {
          case "imap" -> Stages.imapSettings(config).toString();
          case "smtp" -> Stages.smtpSettings(config).toString();
          case "graph" ->
              "Microsoft 365 via "
                  + config.target().graph().baseUrl()
                  + ", tenant "
                  + config.target().graph().tenantId();
          default -> config.target().maildir().root().toString();
        };
    return config.target().type() + " " + where + " (folder \"" + config.target().folder() + "\")";
  }

  @Override
  public void close() {
    files.ifPresent(FileFetcher::close);
    sink.ifPresent(MailboxSink::close);
    state.ifPresent(StateStore::close);
  }
}
