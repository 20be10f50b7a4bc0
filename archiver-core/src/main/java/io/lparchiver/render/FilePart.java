package io.lparchiver.render;

import io.lparchiver.model.SharedFile;
import jakarta.activation.DataSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A file to attach, whichever way it arrived; its bytes are read through a stream, not copied again
 * for the MIME part.
 *
 * @param relativePath the LivePerson path it was downloaded from, if any
 * @param name the attachment name, already made safe
 * @param contentType the MIME type, already made safe
 * @param size bytes
 * @param sha256 hex SHA-256 of the bytes
 */
record FilePart(
    Optional<String> relativePath,
    String name,
    String contentType,
    long size,
    String sha256,
    DataSource source) {

  static FilePart of(AttachmentContent a) {
    byte[] bytes = a.bytes();
    String type = MimeAssembly.safeContentType(a.contentType());
    return new FilePart(
        Optional.empty(),
        Attachments.fileName(a.fileName()),
        type,
        bytes.length,
        EmailRenderer.sha256Hex(bytes),
        source(type, () -> new ByteArrayInputStream(bytes)));
  }

  static FilePart of(SharedFile.Downloaded d) {
    String type = MimeAssembly.safeContentType(d.contentType());
    return new FilePart(
        Optional.of(d.relativePath()),
        Attachments.fileName(d.fileName()),
        type,
        d.size(),
        d.sha256(),
        source(type, d::open));
  }

  private interface Opener {
    InputStream open();
  }

  private static DataSource source(String type, Opener opener) {
    return new DataSource() {
      @Override
      public InputStream getInputStream() {
        return opener.open();
      }

      @Override
      public OutputStream getOutputStream() {
        throw new UnsupportedOperationException("read-only");
      }

      @Override
      public String getContentType() {
        return type;
      }

      @Override
      public String getName() {
        return "";
      }
    };
  }
}
