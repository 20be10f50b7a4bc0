package io.lparchiver.model;

import java.util.stream.Stream;

/**
 * The largest email a target takes into one mailbox. Anything bigger has its largest parts stored
 * under {@code archive.overflowDir} and replaced by a stub naming the stored file.
 *
 * @param maxMessageBytes the whole rendered message (IMAP APPENDLIMIT, SMTP SIZE)
 * @param maxAttachmentBytes one attachment, decoded (Graph's 150 MB per upload session)
 */
public record SizeLimit(long maxMessageBytes, long maxAttachmentBytes) {

  /** No limit the archiver knows of. */
  public static final SizeLimit NONE = new SizeLimit(Long.MAX_VALUE, Long.MAX_VALUE);

  public SizeLimit {
    if (maxMessageBytes < 1 || maxAttachmentBytes < 1) {
      throw new IllegalArgumentException(
          "size limits must be positive: " + maxMessageBytes + ", " + maxAttachmentBytes);
    }
  }

  public static SizeLimit message(long maxMessageBytes) {
    return new SizeLimit(maxMessageBytes, Long.MAX_VALUE);
  }

  public static SizeLimit attachment(long maxAttachmentBytes) {
    return new SizeLimit(Long.MAX_VALUE, maxAttachmentBytes);
  }

  /** The stricter of both limits. */
  public SizeLimit and(SizeLimit other) {
    return new SizeLimit(
        Math.min(maxMessageBytes, other.maxMessageBytes),
        Math.min(maxAttachmentBytes, other.maxAttachmentBytes));
  }

  public boolean isNone() {
    return maxMessageBytes == Long.MAX_VALUE && maxAttachmentBytes == Long.MAX_VALUE;
  }

  /** For people: "messages up to 60000 bytes", "attachments up to 157286400 bytes", "none". */
  @Override
  public String toString() {
    if (isNone()) {
      return "none";
    }
    String message = maxMessageBytes == Long.MAX_VALUE ? "" : "messages up to " + maxMessageBytes;
    String attachment =
        maxAttachmentBytes == Long.MAX_VALUE ? "" : "attachments up to " + maxAttachmentBytes;
    return String.join(
            ", ", Stream.of(message, attachment).filter(part -> !part.isEmpty()).toList())
        + " bytes";
  }
}
