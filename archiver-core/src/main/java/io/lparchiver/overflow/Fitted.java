package io.lparchiver.overflow;

import io.lparchiver.model.ArchiveEmail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An email that fits a target's limit, and what was stored outside it to make it fit. Close it to
 * remove the spool file that holds a large rewritten email.
 *
 * @param email the email to deliver (the original when nothing had to move)
 * @param externalised the parts replaced by stubs, in message order; empty when nothing moved
 * @param spool the temp file behind {@code email}, if any
 */
public record Fitted(ArchiveEmail email, List<ExternalisedPart> externalised, Optional<Path> spool)
    implements AutoCloseable {

  public Fitted {
    externalised = List.copyOf(externalised);
  }

  public static Fitted unchanged(ArchiveEmail email) {
    return new Fitted(email, List.of(), Optional.empty());
  }

  public boolean isExternalised() {
    return !externalised.isEmpty();
  }

  @Override
  public void close() {
    spool.ifPresent(
        p -> {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            // a leftover file in the overflow .spool folder is harmless and never read again
          }
        });
  }
}
