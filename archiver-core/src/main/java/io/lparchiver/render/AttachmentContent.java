package io.lparchiver.render;

import java.util.Objects;

/**
 * The bytes of a file shared in the conversation, once a later stage has downloaded them. Added to
 * the email as an attachment after {@code conversation.json}, always base64 so nothing rewrites it.
 *
 * @param fileName the attachment file name (untrusted: sanitised at render time)
 * @param contentType the MIME type, e.g. {@code image/png}; {@code application/octet-stream} when
 *     unknown or malformed
 * @param bytes the file content
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out, like ArchiveEmail.mime
public record AttachmentContent(String fileName, String contentType, byte[] bytes) {

  public AttachmentContent {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(contentType, "contentType");
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttachmentContent other
        && fileName.equals(other.fileName)
        && contentType.equals(other.contentType)
        && java.util.Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fileName, contentType, java.util.Arrays.hashCode(bytes));
  }

  @Override
  public String toString() {
    return "AttachmentContent[" + fileName + ", " + contentType + ", " + bytes.length + " bytes]";
  }
}
