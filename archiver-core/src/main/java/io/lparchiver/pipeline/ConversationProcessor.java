package io.lparchiver.pipeline;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.mapping.MappingRule;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MappingDecision;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.Recipients;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.render.RenderException;
import io.lparchiver.state.ConversationVersion;
import io.lparchiver.state.DeadLetter;
import io.lparchiver.state.DeliveryRecord;
import io.lparchiver.state.StateStore;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives one fetched conversation: version it, map it, render it once, deliver one copy per
 * mapped mailbox that lacks it. The ledger row is written after the copy is durable; a copy found
 * on the target without its row (a crash between the two) is recorded, not written again.
 */
final class ConversationProcessor {

  private static final Logger log = LoggerFactory.getLogger(ConversationProcessor.class);

  private final ParticipantMapper mapper;
  private final EmailRenderer renderer;
  private final MailboxSink sink;
  private final StateStore state;
  private final DeliveryRetry retry;
  private final Clock clock;
  private final Set<Mailbox> foldersEnsured = new HashSet<>();
  private int failuresInARow;

  ConversationProcessor(
      ParticipantMapper mapper,
      EmailRenderer renderer,
      MailboxSink sink,
      StateStore state,
      DeliveryRetry retry,
      Clock clock) {
    this.mapper = mapper;
    this.renderer = renderer;
    this.sink = sink;
    this.state = state;
    this.retry = retry;
    this.clock = clock;
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
    ConversationVersion version =
        state.versionFor(
            c.account(),
            c.channel(),
            c.id(),
            fetched.fingerprint(),
            fetched.sourceSha256(),
            c.start());
    MessageKey key = version.key();
    List<Mailbox> pending =
        recipients.mailboxes().stream().filter(m -> !state.isDelivered(key, m)).toList();
    for (int i = pending.size(); i < recipients.mailboxes().size(); i++) {
      tally.duplicate();
    }
    if (pending.isEmpty()) {
      state.resolveDeadLetters(c.account(), c.channel(), c.id());
      return;
    }
    ArchiveEmail email;
    try {
      email = renderer.render(fetched, key, recipients, state.versionsBefore(key));
    } catch (RenderException | RuntimeException e) {
      deadLetter(
          c, key.version(), "", DeadLetterStage.RENDER, "cannot render: " + e.getMessage(), tally);
      return;
    }
    tally.email(email.size());
    boolean allDelivered = true;
    for (Mailbox mailbox : pending) {
      allDelivered &= deliverOne(c, mailbox, email, tally);
    }
    if (allDelivered) {
      state.resolveDeadLetters(c.account(), c.channel(), c.id());
    }
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

  private boolean deliverOne(Conversation c, Mailbox mailbox, ArchiveEmail email, SyncTally tally)
      throws InterruptedException {
    MessageKey key = email.key();
    for (int attempt = 1; ; attempt++) {
      try {
        if (foldersEnsured.add(mailbox)) {
          sink.ensureFolder(mailbox);
        }
        Optional<Receipt> existing = sink.find(mailbox, key);
        Receipt receipt = existing.isPresent() ? existing.get() : sink.deliver(mailbox, email);
        record(email, receipt);
        failuresInARow = 0;
        if (receipt.alreadyPresent()) {
          tally.duplicate();
        } else {
          tally.delivered(mailbox);
        }
        return true;
      } catch (DeliveryException e) {
        foldersEnsured.remove(mailbox);
        if (!e.retriable() || attempt >= retry.attempts()) {
          deadLetter(
              c, key.version(), mailbox.address(), DeadLetterStage.DELIVER, e.getMessage(), tally);
          if (++failuresInARow >= TargetFailingException.FAILURES_IN_A_ROW) {
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

  private void record(ArchiveEmail email, Receipt receipt) {
    state.recordDelivery(
        new DeliveryRecord(
            email.key(),
            receipt.mailbox(),
            email.sha256(),
            email.size(),
            sink.type(),
            receipt.targetItemId(),
            receipt.alreadyPresent()
                ? DeliveryRecord.Outcome.FOUND_ON_TARGET
                : DeliveryRecord.Outcome.DELIVERED,
            clock.instant()));
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
