package io.lparchiver.pipeline;

import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.mapping.MappingRule;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.FileReference;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MappingDecision;
import io.lparchiver.model.Message;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.MessageType;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.Recipients;
import io.lparchiver.model.SharedFile;
import io.lparchiver.model.SizeLimit;
import io.lparchiver.overflow.Externaliser;
import io.lparchiver.overflow.Fitted;
import io.lparchiver.overflow.OverflowException;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.render.RenderException;
import io.lparchiver.source.FileAdmission;
import io.lparchiver.source.FileFetcher;
import io.lparchiver.source.SourceException;
import io.lparchiver.state.CommittedVersion;
import io.lparchiver.state.CopyRecord;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.DeliveryRecord;
import io.lparchiver.state.ExternalisedFile;
import io.lparchiver.state.RecordedVersion;
import io.lparchiver.state.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives one fetched conversation: version it, map it, render it once, deliver one copy per
 * mapped mailbox that lacks it. Ledger rows are written after the copies are durable, in one commit
 * after the conversation's last copy (one after each copy when the target cannot find what a
 * crashed run wrote, {@link MailboxSink#findsEveryCopy}); a copy found on the target without its
 * row (a crash in between) is recorded, not written again. Thread-safe: the lanes of a run share
 * one processor; one conversation is only ever on one lane.
 */
final class ConversationProcessor {

  private static final Logger log = LoggerFactory.getLogger(ConversationProcessor.class);

  private final ParticipantMapper mapper;
  private final EmailRenderer renderer;
  private final MailboxSink sink;
  private final StateStore state;
  private final DeliveryRetry retry;
  private final Clock clock;
  private final Optional<Externaliser> overflow;
  private final Set<Mailbox> foldersEnsured = ConcurrentHashMap.newKeySet();
  // asked once per mailbox and run: a server's limit does not change within a run
  private final Map<Mailbox, SizeLimit> limits = new ConcurrentHashMap<>();
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private final Optional<FileFetcher> files;
  private final FileMemoryGate gate;

  /**
   * @param lanes how many conversations are archived at once: it sizes the hosted files each may
   *     hold in memory ({@link FileMemoryGate})
   */
  ConversationProcessor(
      ParticipantMapper mapper,
      EmailRenderer renderer,
      MailboxSink sink,
      StateStore state,
      DeliveryRetry retry,
      Clock clock,
      Optional<Externaliser> overflow,
      Optional<FileFetcher> files,
      int lanes) {
    this.mapper = mapper;
    this.renderer = renderer;
    this.sink = sink;
    this.state = state;
    this.retry = retry;
    this.clock = clock;
    this.overflow = overflow;
    this.files = files;
    this.gate = FileMemoryGate.forHeap(Runtime.getRuntime().maxMemory(), lanes);
  }

  void process(FetchedConversation fetched, SyncTally tally) throws InterruptedException {
    Conversation c = fetched.conversation();
    Recipients recipients = mapper.map(c);
    if (recipients.isEmpty()) {
      deadLetter(
          c,
          0,
          "",
          DeadLetterStage.MAP,
          "unmapped: no participant maps to a mailbox and mapping.fallbackMailbox is not set;"
              + " add a mapping.csv row or a fallback mailbox, then run retry or sync --from/--to",
          tally);
      return;
    }
    recordUnmappedParticipants(c, recipients);
    // durable before the first copy, not now: its flush goes on while the lane renders
    CommittedVersion version =
        state.commitVersion(
            c.account(),
            c.channel(),
            c.id(),
            fetched.fingerprint(),
            fetched.sourceSha256(),
            c.start());
    RecordedVersion recorded = version.recorded();
    MessageKey key = recorded.version().key();
    if (key.version() > 1) {
      recordEarlierCopies(
          new MessageKey(key.account(), key.channel(), key.conversationId(), key.version() - 1),
          recipients);
    }
    // a version recorded just now has no ledger rows: asking would cost a query per mailbox
    List<Mailbox> pending =
        recorded.isNew()
            ? List.copyOf(recipients.mailboxes())
            : recipients.mailboxes().stream().filter(m -> !state.isDelivered(key, m)).toList();
    for (int i = pending.size(); i < recipients.mailboxes().size(); i++) {
      tally.duplicate();
    }
    if (pending.isEmpty()) {
      state.resolveDeadLetters(c.account(), c.channel(), c.id());
      return;
    }
    // the conversation's files stay in memory until its last copy is delivered
    try (FileMemoryGate.Ticket admission = gate.open(c.channel().label() + " " + c.id())) {
      archive(fetched, recipients, version, pending, admission, tally);
    }
  }

  /** Downloads, renders once and delivers the copies {@code pending} lacks. */
  private void archive(
      FetchedConversation fetched,
      Recipients recipients,
      CommittedVersion version,
      List<Mailbox> pending,
      FileMemoryGate.Ticket admission,
      SyncTally tally)
      throws InterruptedException {
    Conversation c = fetched.conversation();
    MessageKey key = version.recorded().version().key();
    Optional<List<SharedFile>> shared = Optional.empty();
    if (files.isPresent()) {
      try {
        // the lanes download at once: taking turns made every lane wait for one file at a time
        shared = Optional.of(download(c, files.get(), admission));
      } catch (SourceException e) {
        if (e.kind() == SourceException.Kind.AUTHENTICATION) {
          throw e; // a person must fix the credentials: stop the run, name the key
        }
        deadLetter(
            c,
            key.version(),
            "",
            DeadLetterStage.FETCH,
            "cannot download a shared file: " + e.getMessage(),
            tally);
        return;
      } catch (RuntimeException e) {
        deadLetter(
            c,
            key.version(),
            "",
            DeadLetterStage.FETCH,
            "cannot download a shared file: " + e,
            tally);
        return;
      }
    }
    ArchiveEmail email;
    try {
      email =
          shared.isPresent()
              ? renderer.renderWithSharedFiles(
                  fetched, key, recipients, state.versionsBefore(key), shared.get())
              : renderer.render(fetched, key, recipients, state.versionsBefore(key));
    } catch (RenderException | RuntimeException e) {
      deadLetter(
          c, key.version(), "", DeadLetterStage.RENDER, "cannot render: " + e.getMessage(), tally);
      return;
    }
    tally.email(email.size());
    // the version's number is in every copy's Message-ID (ADR 0005)
    state.awaitDurable(version);
    boolean allDelivered = true;
    // one fitted copy per distinct target limit, so an oversize part is stored once
    Map<SizeLimit, Fitted> fitted = new HashMap<>();
    // the hosted files and the durable copies not yet in the ledger: one commit for them all
    List<SharedFile> unrecordedFiles = new ArrayList<>(shared.orElse(List.of()));
    List<CopyRecord> unrecordedCopies = new ArrayList<>();
    try {
      for (Mailbox mailbox : pending) {
        allDelivered &=
            deliverOne(c, mailbox, email, fetched.sourceSha256(), fitted, unrecordedCopies, tally);
        if (!sink.findsEveryCopy()) {
          recordCopies(key, unrecordedFiles, unrecordedCopies);
        }
      }
    } finally {
      try {
        // also when a copy failed or the run stops: the copies made so far are durable
        recordCopies(key, unrecordedFiles, unrecordedCopies);
      } finally {
        fitted.values().forEach(Fitted::close);
      }
    }
    if (allDelivered) {
      state.resolveDeadLetters(c.account(), c.channel(), c.id());
    }
  }

  /** Records the files and copies and forgets them, so that none is recorded twice. */
  private void recordCopies(MessageKey key, List<SharedFile> files, List<CopyRecord> copies) {
    List<SharedFile> filesNow = List.copyOf(files);
    List<CopyRecord> copiesNow = List.copyOf(copies);
    files.clear();
    copies.clear();
    state.recordCopies(key, filesNow, copiesNow);
  }

  /**
   * The agents and bots whose conversation fell to the fallback mailbox, for the status page: each
   * is a mapping.csv row or a Users API email away from their own copy. Consumers are left out:
   * they are external and never have a mailbox.
   */
  private void recordUnmappedParticipants(Conversation c, Recipients recipients) {
    Set<String> fellBack = new HashSet<>();
    for (MappingDecision d : recipients.decisions()) {
      if (d.rule().equals(MappingRule.FALLBACK.label())) {
        fellBack.add(d.participantId());
      }
    }
    for (Participant p : c.participants()) {
      if (p.role().isInternal() && fellBack.remove(p.id())) {
        state.recordUnmapped(
            p.id(),
            p.role().name().toLowerCase(java.util.Locale.ROOT),
            p.displayName(),
            c.id(),
            c.start());
      }
    }
  }

  /** Every distinct LivePerson-hosted file of the conversation, in order of first mention. */
  private static List<SharedFile> download(
      Conversation c, FileFetcher fetcher, FileAdmission admission) throws InterruptedException {
    Map<String, FileReference> hosted = new LinkedHashMap<>();
    for (Message m : c.messages()) {
      m.file()
          .filter(f -> f.relativePath().filter(p -> !p.isBlank()).isPresent())
          .filter(f -> m.type() != MessageType.LINK)
          .ifPresent(f -> hosted.putIfAbsent(f.relativePath().get(), f));
    }
    List<SharedFile> out = new ArrayList<>();
    for (FileReference f : hosted.values()) {
      SharedFile file = fetcher.fetch(f, admission);
      if (file instanceof SharedFile.Unavailable u) {
        log.warn(
            "{} {}: file {} not attached: {}",
            c.channel().label(),
            c.id(),
            u.relativePath(),
            u.reason());
      }
      out.add(file);
    }
    return out;
  }

  /**
   * A crash between a copy and its ledger row, followed by a change of the conversation before the
   * next run, leaves a copy of the earlier version that no ledger row describes: the next run only
   * delivers the new version. Such a copy is looked up and recorded as found, hashed as it is on
   * the target, so that the ledger matches the target. Best effort: a target that cannot be asked
   * now is asked again when the conversation next comes by.
   */
  private void recordEarlierCopies(MessageKey earlier, Recipients recipients) {
    if (!(sink instanceof ArchiveReader reader)) {
      return;
    }
    for (Mailbox mailbox : recipients.mailboxes()) {
      if (state.isDelivered(earlier, mailbox)) {
        continue;
      }
      try {
        Optional<Receipt> found = sink.find(mailbox, earlier);
        if (found.isEmpty()) {
          continue;
        }
        ReadBack copy = reader.readBack(mailbox, earlier, found.get().targetItemId());
        // Microsoft 365 keeps the hash recorded at creation, not the bytes: size unknown (0)
        Optional<DeliveryRecord> row =
            copy instanceof ReadBack.Bytes b
                ? Optional.of(foundRow(earlier, mailbox, b.sha256(), b.bytes(), found.get()))
                : copy instanceof ReadBack.Attested a && a.recordedEmailSha256().isPresent()
                    ? Optional.of(
                        foundRow(earlier, mailbox, a.recordedEmailSha256().get(), 0, found.get()))
                    : Optional.empty();
        row.ifPresent(
            r -> {
              state.recordDelivery(r);
              log.info("{} -> {}: an earlier copy found on the target, recorded", earlier, mailbox);
            });
      } catch (DeliveryException e) {
        log.warn(
            "{} -> {}: cannot look for an earlier copy now: {}", earlier, mailbox, e.getMessage());
      }
    }
  }

  private DeliveryRecord foundRow(
      MessageKey key, Mailbox mailbox, String sha256, long bytes, Receipt found) {
    return new DeliveryRecord(
        key,
        mailbox,
        sha256,
        bytes,
        sink.type(),
        found.targetItemId(),
        DeliveryRecord.Outcome.FOUND_ON_TARGET,
        clock.instant());
  }

  private boolean deliverOne(
      Conversation c,
      Mailbox mailbox,
      ArchiveEmail email,
      String sourceSha256,
      Map<SizeLimit, Fitted> fitted,
      List<CopyRecord> unrecorded,
      SyncTally tally)
      throws InterruptedException {
    MessageKey key = email.key();
    for (int attempt = 1; ; attempt++) {
      try {
        if (!foldersEnsured.contains(mailbox)) {
          sink.ensureFolder(mailbox); // idempotent: two lanes may both ensure it once
          foldersEnsured.add(mailbox);
        }
        Optional<Receipt> existing = sink.find(mailbox, key);
        boolean duplicate = existing.isPresent();
        if (duplicate) {
          // found, not written: its record is the version's own, or not known
          unrecorded.add(
              copyRecord(
                  email, existing.get(), DeliveryRecord.Outcome.FOUND_ON_TARGET, List.of(), ""));
        } else {
          Fitted copy = fit(email, limit(mailbox), fitted);
          Receipt written = sink.deliver(mailbox, copy.email());
          duplicate = written.alreadyPresent();
          unrecorded.add(
              copyRecord(
                  copy.email(),
                  written,
                  duplicate
                      ? DeliveryRecord.Outcome.FOUND_ON_TARGET
                      : copy.isExternalised()
                          ? DeliveryRecord.Outcome.EXTERNALISED
                          : DeliveryRecord.Outcome.DELIVERED,
                  duplicate ? List.of() : externalisedFiles(copy),
                  duplicate ? "" : sourceSha256));
          if (copy.isExternalised()) {
            log.info(
                "{} -> {}: {} part(s) over the target's limit stored under archive.overflowDir",
                key.messageId(),
                mailbox,
                copy.externalised().size());
          }
        }
        failuresInARow.set(0);
        if (duplicate) {
          tally.duplicate();
        } else {
          tally.delivered(mailbox, email.size());
        }
        return true;
      } catch (DeliveryException e) {
        foldersEnsured.remove(mailbox);
        if (!e.retriable() || attempt >= retry.attempts()) {
          deadLetter(
              c, key.version(), mailbox.address(), DeadLetterStage.DELIVER, e.getMessage(), tally);
          if (failuresInARow.incrementAndGet() >= TargetFailingException.FAILURES_IN_A_ROW) {
            throw new TargetFailingException(sink.type(), e.getMessage());
          }
          return false;
        }
        log.warn(
            "Delivery of {} to {} failed (attempt {}), retrying: {}",
            key.messageId(),
            mailbox,
            attempt,
            e.getMessage());
        retry.sleeper().sleep(retry.backoff(attempt));
      }
    }
  }

  private SizeLimit limit(Mailbox mailbox) throws DeliveryException {
    SizeLimit known = limits.get(mailbox);
    if (known == null) {
      known = sink.sizeLimit(mailbox);
      limits.put(mailbox, known);
    }
    return known;
  }

  private Fitted fit(ArchiveEmail email, SizeLimit limit, Map<SizeLimit, Fitted> fitted)
      throws DeliveryException {
    Fitted known = fitted.get(limit);
    if (known != null) {
      return known;
    }
    if (overflow.isEmpty() || limit.isNone()) {
      return Fitted.unchanged(email);
    }
    try {
      Fitted made = overflow.get().fit(email, limit);
      fitted.put(limit, made);
      return made;
    } catch (OverflowException e) {
      throw new DeliveryException(e.getMessage(), e.retriable(), e);
    }
  }

  /** What was stored under overflowDir, as the ledger records it (so verify can re-hash it). */
  private static List<ExternalisedFile> externalisedFiles(Fitted copy) {
    return copy.externalised().stream()
        .map(
            p ->
                new ExternalisedFile(
                    p.fileName(),
                    p.contentType(),
                    p.file().size(),
                    p.file().sha256(),
                    p.file().relativePath()))
        .toList();
  }

  private CopyRecord copyRecord(
      ArchiveEmail email,
      Receipt receipt,
      DeliveryRecord.Outcome outcome,
      List<ExternalisedFile> externalised,
      String sourceSha256) {
    return new CopyRecord(
        new DeliveryRecord(
            email.key(),
            receipt.mailbox(),
            email.sha256(),
            email.size(),
            sink.type(),
            receipt.targetItemId(),
            outcome,
            clock.instant(),
            sourceSha256),
        externalised);
  }

  private void deadLetter(
      Conversation c,
      int version,
      String mailbox,
      DeadLetterStage stage,
      String reason,
      SyncTally tally) {
    state.deadLetter(
        DeadLetter.of(
            c.account(), c.channel(), c.id(), version, mailbox, stage, reason, clock.instant()));
    String where = mailbox.isEmpty() ? "" : " -> " + mailbox;
    tally.deadLetter(
        stage.label() + " " + c.channel().label() + ":" + c.id() + where + ": " + reason);
    log.warn(
        "Dead-lettered {} {}{} at {}: {}",
        c.channel().label(),
        c.id(),
        where,
        stage.label(),
        reason);
  }
}
