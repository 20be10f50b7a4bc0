package io.lparchiver.state;

import java.util.List;
import java.util.Objects;

/**
 * A copy to record in the ledger: its row and the parts of it stored under {@code
 * archive.overflowDir} (empty unless the outcome is {@code externalised}).
 */
public record CopyRecord(DeliveryRecord delivery, List<ExternalisedFile> externalised) {

  public CopyRecord {
    Objects.requireNonNull(delivery, "delivery");
    externalised = List.copyOf(externalised);
  }

  public static CopyRecord of(DeliveryRecord delivery) {
    return new CopyRecord(delivery, List.of());
  }
}
