package io.lparchiver.pipeline.verify;

import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.ArchiveReader.ArchivedItem;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.model.Mailbox;
import io.lparchiver.overflow.OverflowStore;
import io.lparchiver.overflow.StoredFile;
import io.lparchiver.pipeline.verify.Finding.Kind;
import io.lparchiver.render.Attachments;
import io.lparchiver.state.AuditSignatureCheck;
import io.lparchiver.state.AuditVerification;
import io.lparchiver.state.DeliveryRecord;
import io.lparchiver.state.ExternalisedFile;
import io.lparchiver.state.LedgerDiscrepancy;
import io.lparchiver.state.LedgerRow;
import io.lparchiver.state.SharedFileRecord;
import io.lparchiver.state.StateStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code verify}: recomputes the audit chain (and its day signatures) and checks the ledger against
 * the chain's delivery entries, then reads every ledger entry's copy back from the target and
 * compares it with what the ledger recorded, then lists each mailbox's archive folder for
 * lp-archiver items the ledger does not know.
 *
 * <p>Read-only on both sides. Findings are streamed to a consumer as they are found, so memory does
 * not grow with the archive; the ledger is read in pages.
 */
public final class ArchiveVerifier {

  private static final int PAGE = 500;
  private static final String CONVERSATION_JSON = "conversation.json";

  private final StateStore state;
  private final ArchiveReader target;
  private final Optional<AuditSignatureCheck> signer;
  private final Optional<OverflowStore> overflow;

  /**
   * @param signer checks the day signatures: the configured {@code audit.signingKey} or, for
   *     Ed25519, only its public key; empty: the signatures are counted, not checked
   */
  public ArchiveVerifier(
      StateStore state, ArchiveReader target, Optional<? extends AuditSignatureCheck> signer) {
    this(state, target, signer, Optional.empty());
  }

  /**
   * @param overflow the store under {@code archive.overflowDir}, whose files of externalised copies
   *     are re-hashed; empty only for targets that never externalise (they are then reported
   *     unreadable rather than skipped)
   */
  public ArchiveVerifier(
      StateStore state,
      ArchiveReader target,
      Optional<? extends AuditSignatureCheck> signer,
      Optional<OverflowStore> overflow) {
    this.state = Objects.requireNonNull(state, "state");
    this.target = Objects.requireNonNull(target, "target");
    this.overflow = Objects.requireNonNull(overflow, "overflow");
    this.signer = Objects.requireNonNull(signer, "signer").map(AuditSignatureCheck.class::cast);
  }

  /**
   * Verifies the ledger entries delivered in [from, to) (all when empty) and the whole audit chain.
   */
  public VerifyReport verify(
      Optional<Instant> from, Optional<Instant> to, Consumer<Finding> findings) {
    Tally t = new Tally(findings);
    AuditVerification chain = state.verifyAudit();
    chain
        .firstBrokenEntry()
        .ifPresent(broken -> t.report(new Finding(Kind.AUDIT, "", "", "", broken)));
    int signedDays = state.auditSignatures().size();
    int auditProblems = chain.intact() ? 0 : 1;
    if (signer.isPresent()) {
      for (String problem : state.verifyAuditSignatures(signer.get())) {
        t.report(new Finding(Kind.AUDIT, "", "", "", problem));
        auditProblems++;
      }
    }
    // A ledger row edited to match an altered copy would pass the target check; its chained
    // audit entry still carries what was delivered.
    for (LedgerDiscrepancy d : state.ledgerDiscrepancies()) {
      t.report(new Finding(Kind.AUDIT, d.mailbox(), d.messageId(), "", d.description()));
      auditProblems++;
    }
    Set<String> mailboxes = new TreeSet<>();
    long entries = 0;
    long after = 0;
    for (List<LedgerRow> page = state.ledgerPage(after, PAGE, from, to);
        !page.isEmpty();
        page = state.ledgerPage(after, PAGE, from, to)) {
      for (LedgerRow row : page) {
        entries++;
        mailboxes.add(row.delivery().mailbox().address());
        check(row, t);
      }
      after = page.get(page.size() - 1).id();
    }
    int listed = 0;
    if (target.canList()) {
      for (String address : mailboxes) {
        listed++;
        unexpected(new Mailbox(address), t);
      }
    }
    return new VerifyReport(
        chain.entries(),
        chain.intact(),
        signedDays,
        signer.isPresent(),
        auditProblems,
        entries,
        t.intact,
        t.count(Kind.MISSING),
        t.count(Kind.ALTERED),
        t.count(Kind.UNREADABLE),
        t.count(Kind.NOT_VERIFIABLE),
        listed,
        t.count(Kind.UNEXPECTED));
  }

  private void check(LedgerRow row, Tally t) {
    boolean copyIntact = checkCopy(row, t);
    boolean overflowIntact =
        row.delivery().outcome() != DeliveryRecord.Outcome.EXTERNALISED || checkOverflow(row, t);
    if (copyIntact && overflowIntact) {
      t.intact++;
    }
  }

  /** The copy on the target against the ledger; true when intact. */
  private boolean checkCopy(LedgerRow row, Tally t) {
    DeliveryRecord d = row.delivery();
    String mailbox = d.mailbox().address();
    String messageId = d.key().messageId();
    ReadBack back;
    try {
      back = target.readBack(d.mailbox(), d.key(), d.targetItemId());
    } catch (DeliveryException e) {
      t.report(
          new Finding(
              Kind.UNREADABLE,
              mailbox,
              messageId,
              d.targetItemId(),
              "cannot read it back: " + e.getMessage()));
      return false;
    }
    if (back instanceof ReadBack.Bytes b) {
      if (b.sha256().equals(d.emailSha256())) {
        return true;
      } else {
        t.report(
            new Finding(
                Kind.ALTERED,
                mailbox,
                messageId,
                b.itemId(),
                "SHA-256 "
                    + b.sha256()
                    + " ("
                    + b.bytes()
                    + " bytes), the ledger recorded "
                    + d.emailSha256()
                    + " ("
                    + d.bytes()
                    + " bytes)"));
      }
    } else if (back instanceof ReadBack.Attested a) {
      return attested(row, a, t);
    } else if (back instanceof ReadBack.NotVerifiable n) {
      t.report(new Finding(Kind.NOT_VERIFIABLE, mailbox, messageId, d.targetItemId(), n.reason()));
    } else {
      t.report(
          new Finding(
              Kind.MISSING,
              mailbox,
              messageId,
              d.targetItemId(),
              "not in the archive folder (ledger: delivered "
                  + d.at()
                  + ", SHA-256 "
                  + d.emailSha256()
                  + ")"));
    }
    return false;
  }

  /** Graph: the item must carry the ledger's email hash and an unchanged conversation.json. */
  private boolean attested(LedgerRow row, ReadBack.Attested a, Tally t) {
    DeliveryRecord d = row.delivery();
    String mailbox = d.mailbox().address();
    String messageId = d.key().messageId();
    Optional<String> json = a.conversationJsonSha256();
    if (json.isEmpty() && d.outcome() == DeliveryRecord.Outcome.EXTERNALISED) {
      // Moved to archive.overflowDir (its stub is in the item): the recorded overflow file must be
      // the LivePerson record; checkOverflow re-hashes the file itself.
      json =
          state.externalisedFiles(d.key(), d.mailbox()).stream()
              .filter(f -> f.fileName().equals(CONVERSATION_JSON))
              .map(ExternalisedFile::sha256)
              .findFirst();
    }
    if (json.isEmpty()) {
      t.report(
          new Finding(
              Kind.ALTERED,
              mailbox,
              messageId,
              a.itemId(),
              "the conversation.json attachment is gone"));
    } else if (!json.get().equals(row.sourceSha256())) {
      t.report(
          new Finding(
              Kind.ALTERED,
              mailbox,
              messageId,
              a.itemId(),
              "conversation.json has SHA-256 "
                  + json.get()
                  + ", the ledger recorded the LivePerson record as "
                  + row.sourceSha256()));
    } else if (a.recordedEmailSha256().isEmpty()) {
      t.report(
          new Finding(
              Kind.NOT_VERIFIABLE,
              mailbox,
              messageId,
              a.itemId(),
              "conversation.json is intact, but the item carries no recorded email SHA-256"
                  + " (written before lp-archiver recorded it)"));
    } else if (!a.recordedEmailSha256().get().equalsIgnoreCase(d.emailSha256())) {
      t.report(
          new Finding(
              Kind.ALTERED,
              mailbox,
              messageId,
              a.itemId(),
              "the item records email SHA-256 "
                  + a.recordedEmailSha256().get()
                  + ", the ledger recorded "
                  + d.emailSha256()));
    } else {
      return item(row, a, t);
    }
    return false;
  }

  /**
   * Graph, beyond the recorded hash: each LivePerson-hosted file the ledger says was attached must
   * be there with the bytes sent (or, when externalised, its stub), the item must have as many
   * attachments as were sent, and the body's visible text must be what was sent. One finding per
   * item, naming every difference.
   */
  private boolean item(LedgerRow row, ReadBack.Attested a, Tally t) {
    DeliveryRecord d = row.delivery();
    List<String> altered = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    List<ExternalisedFile> externalised =
        d.outcome() == DeliveryRecord.Outcome.EXTERNALISED
            ? state.externalisedFiles(d.key(), d.mailbox())
            : List.of();
    Set<String> externalisedHashes = new HashSet<>();
    for (ExternalisedFile f : externalised) {
      externalisedHashes.add(f.sha256());
      String stub = f.fileName() + ".externalised.txt";
      if (a.attachments().stream().noneMatch(x -> x.name().equals(stub))) {
        altered.add("the stub " + stub + " naming overflow file " + f.relativePath() + " is gone");
      }
    }
    for (SharedFileRecord f : state.sharedFiles(d.key())) {
      if (f.status() != SharedFileRecord.Status.ATTACHED
          || externalisedHashes.contains(f.sha256())) {
        continue;
      }
      String name = Attachments.fileName(f.fileName());
      String sent = f.bytes() + " bytes, SHA-256 " + f.sha256();
      boolean same =
          a.attachments().stream()
              .anyMatch(x -> x.bytes() == f.bytes() && x.sha256().equals(Optional.of(f.sha256())));
      if (same) {
        continue;
      }
      Optional<ReadBack.Attachment> named =
          a.attachments().stream().filter(x -> x.name().equals(name)).findFirst();
      if (named.isEmpty()) {
        altered.add("attachment \"" + name + "\" (" + sent + ") is gone");
      } else if (named.get().sha256().isEmpty()) {
        unreadable.add("attachment \"" + name + "\" cannot be read: " + named.get().unreadable());
      } else {
        altered.add(
            "attachment \""
                + name
                + "\" has "
                + named.get().bytes()
                + " bytes, SHA-256 "
                + named.get().sha256().get()
                + "; sent: "
                + sent);
      }
    }
    if (a.recordedAttachmentCount().isPresent()
        && a.recordedAttachmentCount().get() != a.attachments().size()) {
      altered.add(
          "the item has "
              + a.attachments().size()
              + " attachment(s), "
              + a.recordedAttachmentCount().get()
              + " were sent: one was added or removed");
    }
    if (a.recordedBodyTextSha256().isPresent()
        && !a.recordedBodyTextSha256().get().equals(a.bodyTextSha256())) {
      altered.add(
          "the body's visible text differs from what was sent (text SHA-256 now "
              + a.bodyTextSha256()
              + ", at creation "
              + a.recordedBodyTextSha256().get()
              + "): the body was edited");
    }
    String mailbox = d.mailbox().address();
    String messageId = d.key().messageId();
    if (!altered.isEmpty()) {
      t.report(
          new Finding(Kind.ALTERED, mailbox, messageId, a.itemId(), String.join("; ", altered)));
      return false;
    }
    if (!unreadable.isEmpty()) {
      t.report(
          new Finding(
              Kind.UNREADABLE, mailbox, messageId, a.itemId(), String.join("; ", unreadable)));
      return false;
    }
    if (a.recordedBodyTextSha256().isEmpty()) {
      t.report(
          new Finding(
              Kind.NOT_VERIFIABLE,
              mailbox,
              messageId,
              a.itemId(),
              "attachments and recorded hashes intact, but the body is not checked: the item"
                  + " carries no body text hash (written before lp-archiver recorded it)"));
      return false;
    }
    return true;
  }

  /**
   * An externalised copy's overflow files: each must still hash to what was recorded when it was
   * stored. True when every one is intact.
   */
  private boolean checkOverflow(LedgerRow row, Tally t) {
    DeliveryRecord d = row.delivery();
    String mailbox = d.mailbox().address();
    String messageId = d.key().messageId();
    List<ExternalisedFile> files = state.externalisedFiles(d.key(), d.mailbox());
    if (files.isEmpty()) {
      t.report(
          new Finding(
              Kind.NOT_VERIFIABLE,
              mailbox,
              messageId,
              d.targetItemId(),
              "externalised before lp-archiver recorded its overflow files: they are not checked"
                  + " (their stubs in the copy name each file's SHA-256)"));
      return false;
    }
    if (overflow.isEmpty()) {
      t.report(
          new Finding(
              Kind.UNREADABLE,
              mailbox,
              messageId,
              d.targetItemId(),
              "externalised, but verify was given no archive.overflowDir to check its files in"));
      return false;
    }
    boolean intact = true;
    for (ExternalisedFile f : files) {
      String name = "overflow file " + f.relativePath() + " (part \"" + f.fileName() + "\")";
      Optional<StoredFile> now;
      try {
        now = overflow.get().reread(f.relativePath());
      } catch (IOException e) {
        t.report(
            new Finding(
                Kind.UNREADABLE,
                mailbox,
                messageId,
                f.relativePath(),
                name + ": " + e.getMessage()));
        intact = false;
        continue;
      }
      if (now.isEmpty()) {
        t.report(
            new Finding(
                Kind.MISSING,
                mailbox,
                messageId,
                f.relativePath(),
                name
                    + " is not in archive.overflowDir "
                    + overflow.get().root()
                    + " (recorded SHA-256 "
                    + f.sha256()
                    + ", "
                    + f.bytes()
                    + " bytes): restore it from the backup"));
        intact = false;
      } else if (!now.get().sha256().equals(f.sha256())) {
        t.report(
            new Finding(
                Kind.ALTERED,
                mailbox,
                messageId,
                f.relativePath(),
                name
                    + " has SHA-256 "
                    + now.get().sha256()
                    + " ("
                    + now.get().size()
                    + " bytes), recorded when it was stored: "
                    + f.sha256()
                    + " ("
                    + f.bytes()
                    + " bytes)"));
        intact = false;
      }
    }
    return intact;
  }

  private void unexpected(Mailbox mailbox, Tally t) {
    List<ArchivedItem> items;
    try {
      items = target.list(mailbox);
    } catch (DeliveryException e) {
      t.report(
          new Finding(
              Kind.UNREADABLE,
              mailbox.address(),
              "",
              "",
              "cannot list the archive folder: " + e.getMessage()));
      return;
    }
    Set<String> known = state.deliveredMessageIds(mailbox);
    Set<String> seen = new HashSet<>();
    for (ArchivedItem item : items) {
      if (!known.contains(item.messageId())) {
        t.report(
            new Finding(
                Kind.UNEXPECTED,
                mailbox.address(),
                item.messageId(),
                item.itemId(),
                "an lp-archiver item the ledger does not know in this mailbox"));
      } else if (!seen.add(item.messageId())) {
        t.report(
            new Finding(
                Kind.UNEXPECTED,
                mailbox.address(),
                item.messageId(),
                item.itemId(),
                "a second copy of a version the ledger delivered once"));
      }
    }
  }

  /** Counts per kind and passes each finding on. */
  private static final class Tally {
    private final Consumer<Finding> sink;
    private final long[] counts = new long[Kind.values().length];
    private long intact;

    Tally(Consumer<Finding> sink) {
      this.sink = sink;
    }

    void report(Finding f) {
      counts[f.kind().ordinal()]++;
      sink.accept(f);
    }

    long count(Kind kind) {
      return counts[kind.ordinal()];
    }
  }
}
