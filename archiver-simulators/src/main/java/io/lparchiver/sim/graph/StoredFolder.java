package io.lparchiver.sim.graph;

/**
 * A mail folder as the simulator keeps it.
 *
 * @param id folder id
 * @param parentFolderId parent's id (empty for the root)
 * @param displayName the name
 * @param wellKnownName e.g. {@code inbox}, or empty for folders that clients created
 */
public record StoredFolder(
    String id, String parentFolderId, String displayName, String wellKnownName) {}
