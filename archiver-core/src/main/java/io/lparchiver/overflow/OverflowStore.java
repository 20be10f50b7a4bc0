package io.lparchiver.overflow;

import io.lparchiver.model.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Content-addressed files under {@code archive.overflowDir}: {@code <first two hex>/<sha256>}. A
 * file is written to a temp name, fsynced, then renamed atomically into place, so a crash never
 * leaves a half-written file under a hash name; storing the same bytes twice keeps one file.
 * Thread-safe (each write has its own temp file; the rename decides).
 */
public final class OverflowStore {

  private static final String TMP = ".tmp";

  private final Path root;

  public OverflowStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Stores the stream's bytes; the caller closes the stream. */
  public StoredFile store(InputStream content) throws IOException {
    Path tmpDir = Files.createDirectories(root.resolve(TMP));
    Path tmp = Files.createTempFile(tmpDir, "part-", ".tmp");
    try {
      MessageDigest sha = Sha256.digest();
      long size;
      try (DigestInputStream in = new DigestInputStream(content, sha);
          OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
        size = in.transferTo(out);
      }
      fsync(tmp);
      String hex = HexFormat.of().formatHex(sha.digest());
      String relative = hex.substring(0, 2) + "/" + hex;
      Path dir = Files.createDirectories(root.resolve(hex.substring(0, 2)));
      Path target = dir.resolve(hex);
      if (Files.exists(target) && Files.size(target) == size) {
        Files.delete(tmp); // same bytes already stored (the name is their hash)
      } else {
        move(tmp, target);
        fsync(dir);
      }
      return new StoredFile(hex, size, relative, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Re-reads a stored file and hashes it now, for {@code verify}; empty when it is not there. The
   * path comes from the ledger: one that leaves the store is refused rather than read.
   */
  public Optional<StoredFile> reread(String relativePath) throws IOException {
    Path file = root.resolve(relativePath).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IOException("overflow path " + relativePath + " is outside " + root);
    }
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    MessageDigest sha = Sha256.digest();
    long size;
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      size = in.transferTo(OutputStream.nullOutputStream());
    }
    return Optional.of(
        new StoredFile(HexFormat.of().formatHex(sha.digest()), size, relativePath, file));
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.delete(tmp); // a concurrent writer stored the same bytes
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the overflow directory's file system cannot rename atomically; put"
              + " archive.overflowDir on a local disk",
          e);
    }
  }

  private static void fsync(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
