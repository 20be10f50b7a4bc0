package io.lparchiver.render;

import io.lparchiver.mail.MailStreams;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;
import jakarta.mail.internet.PreencodedMimeBodyPart;
import jakarta.mail.util.LineOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Enumeration;
import java.util.Properties;

/**
 * Jakarta Mail pieces made deterministic: a fixed Message-ID, fixed boundaries, explicit transfer
 * encodings. Same input, same bytes: the SHA-256 in the ledger and redelivery checks depend on it.
 */
final class MimeAssembly {

  /** No transport, no defaults from system properties: rendering never touches the network. */
  static final Session SESSION;

  static {
    MailStreams.pinProvider();
    SESSION = Session.getInstance(new Properties());
  }

  private MimeAssembly() {}

  /** A MimeMessage whose Message-ID is ours instead of a random one. */
  static final class ArchiveMessage extends MimeMessage {
    private final String messageId;

    ArchiveMessage(String messageId) {
      super(SESSION);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }

  /** A multipart with a boundary chosen by us rather than from the clock. */
  static final class FixedMultipart extends MimeMultipart {
    FixedMultipart(String subtype, String boundary) {
      super(subtype);
      ContentType type = new ContentType("multipart", subtype, null);
      type.setParameter("boundary", boundary);
      contentType = type.toString();
    }
  }

  /**
   * A UTF-8 text part, always quoted-printable: 7-bit safe and no line over 76 characters. Encoded
   * here in one pass (see {@link BodyEncoding}); Jakarta Mail writes the bytes as they are.
   */
  static MimeBodyPart text(CharSequence text, String subtype) throws MessagingException {
    BodyEncoding.Encoded body = BodyEncoding.quotedPrintable(text);
    String type = "text/" + subtype + "; charset=UTF-8";
    MimeBodyPart part = encoded("quoted-printable", body, type);
    part.setHeader("Content-Type", type);
    return part;
  }

  /** An attachment, always base64 so that no gateway rewrites its bytes. */
  static MimeBodyPart attachment(String fileName, String contentType, byte[] bytes)
      throws MessagingException {
    MimeBodyPart part = encoded("base64", BodyEncoding.base64(bytes), contentType);
    part.setFileName(fileName);
    part.setDisposition(MimeBodyPart.ATTACHMENT);
    part.setHeader("Content-Type", contentType + "; name=\"" + fileName + "\"");
    return part;
  }

  /** A shared file, base64, streamed from its source rather than copied into the part. */
  static MimeBodyPart attachment(FilePart f) throws MessagingException {
    MimeBodyPart part = new StreamedFilePart();
    part.setDataHandler(new DataHandler(f.source()));
    part.setFileName(f.name());
    part.setDisposition(MimeBodyPart.ATTACHMENT);
    part.setHeader("Content-Type", f.contentType() + "; name=\"" + f.name() + "\"");
    part.setHeader("Content-Transfer-Encoding", "base64");
    return part;
  }

  private static MimeBodyPart encoded(
      String transferEncoding, BodyEncoding.Encoded body, String contentType)
      throws MessagingException {
    MimeBodyPart part = new EncodedPart(transferEncoding, body);
    part.setDataHandler(new DataHandler(new EncodedSource(body, contentType)));
    // after the data handler, which clears it (as it does Content-Type: callers set that)
    part.setHeader("Content-Transfer-Encoding", transferEncoding);
    return part;
  }

  /** The size of the encoded body of a text part or in-memory attachment made here. */
  static long encodedSize(MimeBodyPart part) {
    return part instanceof EncodedPart p ? p.body.length() : 0;
  }

  /**
   * A part whose body is already encoded: its header lines, a blank line, then the body as {@link
   * #writeBody} writes it, as {@link PreencodedMimeBodyPart#writeTo} does but without copying the
   * body through Jakarta Mail's {@link DataHandler} in 8 KB pieces.
   */
  private abstract static class WrittenPart extends PreencodedMimeBodyPart {
    WrittenPart(String transferEncoding) {
      super(transferEncoding);
    }

    abstract void writeBody(OutputStream os) throws IOException, MessagingException;

    @Override
    public final void writeTo(OutputStream os) throws IOException, MessagingException {
      LineOutputStream lines = streamProvider.outputLineStream(os, false);
      for (Enumeration<String> e = getAllHeaderLines(); e.hasMoreElements(); ) {
        lines.writeln(e.nextElement());
      }
      lines.writeln();
      writeBody(os);
      os.flush();
    }
  }

  /** A text part or in-memory attachment, encoded here in one pass: written in one call. */
  private static final class EncodedPart extends WrittenPart {
    private final BodyEncoding.Encoded body;

    EncodedPart(String transferEncoding, BodyEncoding.Encoded body) {
      super(transferEncoding);
      this.body = body;
    }

    @Override
    void writeBody(OutputStream os) throws IOException {
      os.write(body.bytes(), 0, body.length());
    }
  }

  /**
   * A shared file's part: its base64 is encoded while the file is read, in bulk by {@link
   * BodyEncoding#base64(InputStream, OutputStream)}, instead of one 8 KB piece at a time through
   * Angus's encoder stream (several per cent of a sync's CPU when files are large); same bytes.
   */
  private static final class StreamedFilePart extends WrittenPart {
    StreamedFilePart() {
      super("base64");
    }

    @Override
    void writeBody(OutputStream os) throws IOException, MessagingException {
      try (InputStream in = getDataHandler().getInputStream()) {
        BodyEncoding.base64(in, os);
      }
    }
  }

  /** The encoded bytes of a part, read by Jakarta Mail's writer without another copy. */
  private record EncodedSource(BodyEncoding.Encoded body, String contentType)
      implements DataSource {
    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(body.bytes(), 0, body.length());
    }

    @Override
    public OutputStream getOutputStream() {
      throw new UnsupportedOperationException("read-only");
    }

    @Override
    public String getContentType() {
      return contentType;
    }

    @Override
    public String getName() {
      return "";
    }
  }

  /** The content type if it parses as one, else application/octet-stream. */
  static String safeContentType(String declared) {
    try {
      ContentType type = new ContentType(Texts.oneLine(declared));
      String base = type.getBaseType();
      return Texts.isAscii(base) ? base : "application/octet-stream";
    } catch (ParseException e) {
      return "application/octet-stream";
    }
  }
}
