package io.lparchiver.state;

import io.lparchiver.model.SharedFile;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The ledger row of one LivePerson-hosted file of a conversation version.
 *
 * @param status attached (bytes and hash known) or unavailable (LivePerson no longer holds it)
 * @param contentType MIME type of the attached bytes; empty when unavailable
 * @param bytes size of the attached bytes; 0 when unavailable
 * @param sha256 hex SHA-256 of the attached bytes; empty when unavailable
 * @param reason why it is unavailable; empty when attached
 */
public record SharedFileRecord(
    String relativePath,
    String fileName,
    Status status,
    String contentType,
    long bytes,
    String sha256,
    String reason,
    Instant at) {

  /** What became of the file. */
  public enum Status {
    ATTACHED,
    UNAVAILABLE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public SharedFileRecord {
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  static SharedFileRecord of(SharedFile file, Instant at) {
    if (file instanceof SharedFile.Downloaded d) {
      return new SharedFileRecord(
          d.relativePath(),
          d.fileName(),
          Status.ATTACHED,
          d.contentType(),
          d.size(),
          d.sha256(),
          "",
          at);
    }
    SharedFile.Unavailable u = (SharedFile.Unavailable) file;
    return new SharedFileRecord(
        u.relativePath(), u.fileName(), Status.UNAVAILABLE, "", 0, "", u.reason(), at);
  }
}
