package io.lparchiver.model;

import java.util.Optional;

/**
 * A file shared in a conversation. History records carry only a reference: a LivePerson hosted file
 * ({@code relativePath} on the swift host) or an external link.
 *
 * @param relativePath LivePerson storage path for hosted files
 * @param externalUrl URL for links and external images
 * @param fileType file type as LivePerson reports it (PNG, PDF, ...)
 * @param caption caption the sender gave
 */
public record FileReference(
    Optional<String> relativePath, Optional<String> externalUrl, String fileType, String caption) {

  public FileReference {
    fileType = fileType == null ? "" : fileType;
    caption = caption == null ? "" : caption;
  }
}
