package io.lparchiver.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hex SHA-256 of bytes, a stream or a file (streamed, so size does not matter), and fresh digests.
 */
public final class Sha256 {

  private Sha256() {}

  public static String of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in);
    }
  }

  /** Reads the stream to its end. */
  public static String of(InputStream in) throws IOException {
    MessageDigest digest = digest();
    try (DigestInputStream d = new DigestInputStream(in, digest)) {
      d.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  public static String of(byte[] bytes) {
    return of(bytes, 0, bytes.length);
  }

  /** The first {@code length} bytes from {@code offset}, e.g. of a buffer not filled to its end. */
  public static String of(byte[] bytes, int offset, int length) {
    MessageDigest digest = digest();
    digest.update(bytes, offset, length);
    return HexFormat.of().formatHex(digest.digest());
  }

  public static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  // A sync hashes several times per copy: cloning a digest that is never used itself skips the
  // provider look-up of MessageDigest.getInstance, and only reading it makes cloning thread-safe.
  private static final MessageDigest PROTOTYPE = newDigest();

  /** A new SHA-256 digest, for callers that feed it in parts. */
  public static MessageDigest digest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newDigest();
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
