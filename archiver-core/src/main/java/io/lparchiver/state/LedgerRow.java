package io.lparchiver.state;

import java.util.Objects;

/**
 * One ledger row with what {@code verify} compares it against.
 *
 * @param id the row's position in the ledger (for paging)
 * @param delivery the row
 * @param sourceSha256 SHA-256 of the conversation version's raw record ({@code conversation.json})
 */
public record LedgerRow(long id, DeliveryRecord delivery, String sourceSha256) {

  public LedgerRow {
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(sourceSha256, "sourceSha256");
  }
}
