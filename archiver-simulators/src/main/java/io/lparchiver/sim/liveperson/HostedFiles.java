package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The files on the simulated {@code swift} host: every {@code relativePath} that a seeded
 * conversation references, with content derived from the path and the data set's seed (so the same
 * spec always serves the same bytes) and a size per {@link DataSetSpec#fileBytes()} and {@link
 * DataSetSpec#largeFilePercent()}. Files can be removed, as Personal Data Deletion (RTBF) removes
 * hosted files. Thread-safe.
 */
final class HostedFiles {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long seed;
  private final int maxBytes;
  private final int largePercent;
  private final int conversationsWithLargeFiles;
  private final Set<String> paths = new LinkedHashSet<>();
  private final Set<String> removed = new LinkedHashSet<>();

  HostedFiles(SeededDataSet data) {
    this.seed = data.spec().seed();
    this.maxBytes = data.spec().fileBytes();
    this.largePercent = data.spec().largeFilePercent();
    int[] withLarge = {0};
    data.forEachConversation(
        record -> {
          boolean large = false;
          for (JsonNode path : record.findValues("relativePath")) {
            if (path.isTextual()) {
              paths.add(path.asText());
              large |= isLarge(path.asText(), largePercent);
            }
          }
          withLarge[0] += large ? 1 : 0;
        });
    this.conversationsWithLargeFiles = withLarge[0];
  }

  /** How many conversations (messaging and chats) reference at least one large file. */
  int conversationsWithLargeFiles() {
    return conversationsWithLargeFiles;
  }

  /** Every hosted file the data set references, in the order of the conversations. */
  synchronized List<String> paths() {
    return List.copyOf(paths);
  }

  synchronized boolean exists(String path) {
    return paths.contains(path) && !removed.contains(path);
  }

  /** RTBF: the file is gone from storage; links to it now answer 404. */
  synchronized void remove(String path) {
    if (!paths.contains(path)) {
      throw new IllegalArgumentException("no hosted file " + path);
    }
    removed.add(path);
  }

  synchronized List<String> removed() {
    return List.copyOf(removed);
  }

  /** The content, or empty when unknown or removed. */
  Optional<byte[]> content(String path) {
    return exists(path) ? Optional.of(bytes(path, seed, maxBytes, largePercent)) : Optional.empty();
  }

  /**
   * Deterministic bytes: a magic number matching the file type (so sniffers agree with the name),
   * then seeded noise. With {@code largePercent} 0 no file is large and the bytes are those of data
   * sets made before large files existed.
   */
  static byte[] bytes(String path, long seed, int maxBytes, int largePercent) {
    byte[] digest = sha256(path);
    long pathSeed = seed;
    for (int i = 0; i < 8; i++) {
      pathSeed = (pathSeed << 8) ^ (digest[i] & 0xff);
    }
    Random r = new Random(pathSeed);
    boolean large = isLarge(digest, largePercent);
    int max = large ? DataSetSpec.LARGE_FILE_MAX_BYTES : maxBytes;
    int min = large ? DataSetSpec.LARGE_FILE_MIN_BYTES : Math.max(16, maxBytes / 16);
    int size = min + r.nextInt(max - min + 1);
    byte[] out = new byte[size];
    if (large) {
      // eight bytes per step: java.util.Random's four per CAS on its seed took a third of the
      // simulator's CPU while it served these, on the two cores it shares with the sync
      fill(out, new SplittableRandom(r.nextLong()));
    } else {
      r.nextBytes(out);
    }
    byte[] magic = magic(path);
    System.arraycopy(magic, 0, out, 0, Math.min(magic.length, size));
    return out;
  }

  private static void fill(byte[] out, SplittableRandom random) {
    int i = 0;
    for (; i + Long.BYTES <= out.length; i += Long.BYTES) {
      LONGS.set(out, i, random.nextLong());
    }
    for (long rest = random.nextLong(); i < out.length; i++, rest >>>= 8) {
      out[i] = (byte) rest;
    }
  }

  static String contentType(String path) {
    return switch (extension(path)) {
      case "png" -> "image/png";
      case "jpg", "jpeg" -> "image/jpeg";
      case "gif" -> "image/gif";
      case "pdf" -> "application/pdf";
      case "txt" -> "text/plain";
      default -> "application/octet-stream";
    };
  }

  private static byte[] magic(String path) {
    return switch (extension(path)) {
      case "png" -> new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
      case "jpg", "jpeg" -> new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
      case "gif" -> "GIF89a".getBytes(StandardCharsets.US_ASCII);
      case "pdf" -> "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
      default -> new byte[0];
    };
  }

  static boolean isLarge(String path, int largePercent) {
    return isLarge(sha256(path), largePercent);
  }

  /** Decided by digest bytes the content's seed does not use, so it is independent of it. */
  private static boolean isLarge(byte[] digest, int largePercent) {
    return (((digest[8] & 0xff) << 8) | (digest[9] & 0xff)) % 100 < largePercent;
  }

  private static String extension(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
