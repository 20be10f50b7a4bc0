package io.lparchiver.deliver.graph;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.mail.MailStreams;
import io.lparchiver.model.ArchiveEmail;
import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The parts of a rendered archive email that a Graph item is made of, read with Jakarta Mail from a
 * shared stream so that parts are views onto the message, never copies: a large email is first
 * spooled to a temp file and parsed from there, and attachment content is decoded on demand. Close
 * it to release the spool file.
 */
final class ParsedEmail implements Closeable {

  private static final Session SESSION;

  static {
    MailStreams.pinProvider();
    SESSION = Session.getInstance(new Properties());
  }

  private static final long IN_MEMORY_MAX = 2L * 1024 * 1024;

  /** Parts up to this decoded size are decoded once and kept; larger ones are streamed again. */
  private static final long KEEP_DECODED_MAX = 256 * 1024;

  /** A display name and address. */
  record Person(String name, String address) {}

  /**
   * A leaf part with its decoded size, and its decoded bytes when it is small: measuring the size
   * decodes the part once already, and decoding quoted-printable again took a quarter of the sync's
   * CPU in the Graph benchmark (docs/benchmarks.md).
   */
  record Content(
      String name, String contentType, Part part, long size, Optional<ByteBuffer> decoded) {
    InputStream open() throws IOException {
      if (decoded.isPresent()) {
        ByteBuffer b = decoded.get();
        return new ByteArrayInputStream(b.array(), b.arrayOffset(), b.limit());
      }
      try {
        return part.getInputStream();
      } catch (MessagingException e) {
        throw new IOException("cannot decode part " + name, e);
      }
    }

    /** The decoded text in the part's charset (UTF-8 when it names none or an unknown one). */
    String text() throws IOException {
      try (InputStream in = open()) {
        return new String(in.readAllBytes(), charset(part));
      }
    }
  }

  private final MimeMessage message;
  private final Closeable source;
  private final Optional<Path> spool;
  private Content body;
  private boolean bodyIsHtml;
  private final List<Content> attachments = new ArrayList<>();

  private ParsedEmail(MimeMessage message, Closeable source, Optional<Path> spool) {
    this.message = message;
    this.source = source;
    this.spool = spool;
  }

  static ParsedEmail parse(ArchiveEmail email, Path spoolDir) throws DeliveryException {
    Optional<Path> spool = Optional.empty();
    try {
      InputStream shared;
      if (email.size() <= IN_MEMORY_MAX) {
        shared = new SharedByteArrayInputStream(email.mime());
      } else {
        Files.createDirectories(spoolDir);
        Path file = Files.createTempFile(spoolDir, "lp-graph-", ".eml");
        spool = Optional.of(file);
        email.copyTo(file);
        shared = new SharedFileInputStream(file.toFile());
      }
      ParsedEmail parsed = new ParsedEmail(new MimeMessage(SESSION, shared), shared, spool);
      parsed.walk(parsed.message, false);
      return parsed;
    } catch (IOException | MessagingException e) {
      spool.ifPresent(ParsedEmail::deleteQuietly);
      throw new DeliveryException(
          "cannot read the rendered email " + email.key().messageId() + ": " + e.getMessage(),
          false,
          e);
    }
  }

  private void walk(Part part, boolean inAlternative) throws MessagingException, IOException {
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      boolean alternative = part.isMimeType("multipart/alternative");
      for (int i = 0; i < mp.getCount(); i++) {
        walk(mp.getBodyPart(i), alternative);
      }
      return;
    }
    boolean text = part.isMimeType("text/plain") || part.isMimeType("text/html");
    boolean attached =
        Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null;
    if (text
        && !attached
        && (body == null || inAlternative && !bodyIsHtml && part.isMimeType("text/html"))) {
      body = content(part, "body");
      bodyIsHtml = part.isMimeType("text/html");
      return;
    }
    if (text && !attached && inAlternative) {
      return; // the other rendering of the body already chosen
    }
    String name =
        Optional.ofNullable(part.getFileName()).orElse("attachment-" + (attachments.size() + 1));
    attachments.add(content(part, name));
  }

  private static Content content(Part part, String name) throws MessagingException, IOException {
    String type = new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
    Optional<byte[]> small = decodeSmall(part);
    if (small.isPresent()) {
      byte[] b = small.get();
      return new Content(name, type, part, b.length, Optional.of(ByteBuffer.wrap(b)));
    }
    long size = 0;
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    try (InputStream in = part.getInputStream()) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        size += n;
        if (size <= KEEP_DECODED_MAX) {
          kept.write(buf, 0, n);
        }
      }
    }
    return new Content(
        name,
        type,
        part,
        size,
        size <= KEEP_DECODED_MAX
            ? Optional.of(ByteBuffer.wrap(kept.toByteArray()))
            : Optional.empty());
  }

  /**
   * A part whose encoded body is at most {@link #KEEP_DECODED_MAX} bytes, decoded in one pass from
   * its raw bytes (encoded is never smaller than decoded for base64 and quoted-printable).
   */
  private static Optional<byte[]> decodeSmall(Part part) throws MessagingException, IOException {
    if (!(part instanceof MimeBodyPart body)
        || body.getSize() < 0
        || body.getSize() > KEEP_DECODED_MAX) {
      return Optional.empty();
    }
    byte[] raw;
    try (InputStream in = body.getRawInputStream()) {
      raw = in.readAllBytes();
    }
    try {
      return TransferEncoding.decode(body.getEncoding(), raw);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // malformed: let Jakarta Mail's lenient decoder have it
    }
  }

  static Charset charset(Part part) {
    try {
      String cs = new ContentType(part.getContentType()).getParameter("charset");
      return cs == null ? StandardCharsets.UTF_8 : Charset.forName(MimeUtility.javaCharset(cs));
    } catch (MessagingException | IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }

  Optional<Content> body() {
    return Optional.ofNullable(body);
  }

  boolean bodyIsHtml() {
    return bodyIsHtml;
  }

  List<Content> attachments() {
    return List.copyOf(attachments);
  }

  String subject() throws MessagingException {
    return Optional.ofNullable(message.getSubject()).orElse("");
  }

  Optional<Instant> date() throws MessagingException {
    return Optional.ofNullable(message.getSentDate()).map(java.util.Date::toInstant);
  }

  Optional<String> header(String name) throws MessagingException {
    String v = message.getHeader(name, ", ");
    return v == null ? Optional.empty() : Optional.of(MimeUtility.unfold(v).strip());
  }

  List<Person> from() throws MessagingException {
    return addresses(message.getFrom());
  }

  List<Person> recipients(RecipientType type) throws MessagingException {
    return addresses(message.getRecipients(type));
  }

  private static List<Person> addresses(Address[] list) {
    List<Person> out = new ArrayList<>();
    if (list != null) {
      for (Address a : list) {
        if (a instanceof InternetAddress ia) {
          out.add(new Person(Optional.ofNullable(ia.getPersonal()).orElse(""), ia.getAddress()));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      source.close();
    } catch (IOException e) {
      // nothing left to release
    }
    spool.ifPresent(ParsedEmail::deleteQuietly);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover spool file in the temp dir is harmless
    }
  }
}
