package io.lparchiver.overflow;

import java.nio.file.Path;

/**
 * One file in the overflow store.
 *
 * @param sha256 hex SHA-256 of the content, which is also its name
 * @param size bytes
 * @param relativePath where it is under {@code archive.overflowDir}, with {@code /} separators
 * @param path the file itself
 */
public record StoredFile(String sha256, long size, String relativePath, Path path) {}
