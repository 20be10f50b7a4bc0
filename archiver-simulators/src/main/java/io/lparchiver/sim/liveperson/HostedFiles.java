package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The files on the simulated {@code swift} host: every {@code relativePath} that a seeded
 * conversation references, with content derived from the path and the data set's seed (so the same
 * spec always serves the same bytes) and a size per {@link DataSetSpec#fileBytes()}. Files can be
 * removed, as Personal Data Deletion (RTBF) removes hosted files. Thread-safe.
 */
final class HostedFiles {

  private final long seed;
  private final int maxBytes;
  private final Set<String> paths = new LinkedHashSet<>();
  private final Set<String> removed = new LinkedHashSet<>();

  HostedFiles(SeededDataSet data) {
    this.seed = data.spec().seed();
    this.maxBytes = data.spec().fileBytes();
    data.forEachConversation(
        record -> {
          for (JsonNode path : record.findValues("relativePath")) {
            if (path.isTextual()) {
              paths.add(path.asText());
            }
          }
        });
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
    return exists(path) ? Optional.of(bytes(path, seed, maxBytes)) : Optional.empty();
  }

  /**
   * Deterministic bytes: a magic number matching the file type (so sniffers agree with the name),
   * then seeded noise.
   */
  static byte[] bytes(String path, long seed, int maxBytes) {
    byte[] digest = sha256(path);
    long pathSeed = seed;
    for (int i = 0; i < 8; i++) {
      pathSeed = (pathSeed << 8) ^ (digest[i] & 0xff);
    }
    Random r = new Random(pathSeed);
    int min = Math.max(16, maxBytes / 16);
    int size = min + r.nextInt(maxBytes - min + 1);
    byte[] out = new byte[size];
    r.nextBytes(out);
    byte[] magic = magic(path);
    System.arraycopy(magic, 0, out, 0, Math.min(magic.length, size));
    return out;
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
