package io.lparchiver.pipeline.verify;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Receipt;
import io.lparchiver.state.DeliveryRecord;
import io.lparchiver.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Writes ledger rows the way the pipeline does, for verify tests that deliver by hand. */
final class VerifyLedger {

  private VerifyLedger() {}

  /** Records the version (with the given source hash) and the delivery of one copy. */
  static void record(
      StateStore state, ArchiveEmail email, Receipt receipt, String type, String sourceSha256) {
    state.recordVersion(
        email.key().account(),
        email.key().channel(),
        email.key().conversationId(),
        "fp-" + email.key().conversationId(),
        sourceSha256,
        Instant.parse("2026-03-02T10:15:00Z"));
    state.recordDelivery(
        new DeliveryRecord(
            email.key(),
            receipt.mailbox(),
            email.sha256(),
            email.size(),
            type,
            receipt.targetItemId(),
            DeliveryRecord.Outcome.DELIVERED,
            Instant.parse("2026-03-02T11:00:00Z")));
  }

  /** Runs the verifier and keeps every finding. */
  static Result verify(ArchiveVerifier verifier) {
    List<Finding> findings = new ArrayList<>();
    Consumer<Finding> sink = findings::add;
    VerifyReport report =
        verifier.verify(java.util.Optional.empty(), java.util.Optional.empty(), sink);
    return new Result(report, List.copyOf(findings));
  }

  record Result(VerifyReport report, List<Finding> findings) {}
}
