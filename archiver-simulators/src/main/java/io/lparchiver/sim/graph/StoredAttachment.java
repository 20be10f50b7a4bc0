package io.lparchiver.sim.graph;

/**
 * A file attachment: only its hash and size are kept, so 150 MB files cost no memory.
 *
 * @param id attachment id
 * @param name file name
 * @param contentType declared content type
 * @param size decoded size in bytes
 * @param sha256 hex SHA-256 of the decoded bytes
 * @param via how it arrived: {@code inline}, {@code post} or {@code uploadSession}
 */
public record StoredAttachment(
    String id, String name, String contentType, long size, String sha256, String via) {}
