package io.lparchiver.overflow;

import io.lparchiver.mail.MailStreams;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.EmailContent;
import io.lparchiver.model.Sha256;
import io.lparchiver.model.SizeLimit;
import io.lparchiver.model.SlicedOutputStream;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Makes an email fit a target's {@link SizeLimit}: every attachment over the per-attachment limit,
 * then the largest remaining attachments until the whole message is under the message limit, are
 * stored in the {@link OverflowStore} and replaced by a small text stub that names the stored file,
 * its size and SHA-256. Headers, boundaries, the transcript and the other parts stay byte for byte,
 * and the result is deterministic (same email and limit, same bytes), so a redelivery after a crash
 * is the same email. Thread-safe; a large email is parsed from a spool file, never held whole.
 */
public final class Externaliser {

  /** Header on each stub part, for tools that want to follow it without parsing the text. */
  public static final String STUB_HEADER = "X-LP-Archiver-Externalised";

  private static final Session SESSION;

  static {
    MailStreams.pinProvider();
    SESSION = Session.getInstance(new Properties());
  }

  private static final long IN_MEMORY_MAX = 4L * 1024 * 1024;
  // A stub part with its MIME headers is well under this; used only to choose what to move.
  private static final long STUB_ALLOWANCE = 2048;

  private final OverflowStore store;
  private final Path spoolDir;

  public Externaliser(OverflowStore store) {
    this.store = store;
    this.spoolDir = store.root().resolve(".spool");
  }

  public OverflowStore store() {
    return store;
  }

  /** The email itself when it fits; else a rewritten copy with stubs for the moved parts. */
  public Fitted fit(ArchiveEmail email, SizeLimit limit) throws OverflowException {
    if (email.size() <= limit.maxMessageBytes() && email.size() <= limit.maxAttachmentBytes()) {
      return Fitted.unchanged(email); // no part can be bigger than the whole
    }
    Optional<Path> source = Optional.empty();
    try {
      InputStream shared;
      if (email.size() <= IN_MEMORY_MAX) {
        shared = new SharedByteArrayInputStream(email.mime());
      } else {
        source = Optional.of(spool(email));
        shared = new SharedFileInputStream(source.get().toFile());
      }
      try (InputStream closing = shared) {
        return rewrite(email, limit, new KeptIdMessage(shared));
      }
    } catch (IOException | MessagingException e) {
      throw new OverflowException(
          "cannot store oversize parts of "
              + email.key().messageId()
              + " under archive.overflowDir "
              + store.root()
              + ": "
              + e.getMessage()
              + "; check that it is writable and has free space",
          true,
          e);
    } finally {
      source.ifPresent(Externaliser::deleteQuietly);
    }
  }

  private Fitted rewrite(ArchiveEmail email, SizeLimit limit, MimeMessage msg)
      throws MessagingException, IOException, OverflowException {
    if (!msg.isMimeType("multipart/*")) {
      throw tooBig(email, limit, "it has no attachments that could be stored outside it");
    }
    Multipart mixed = (Multipart) msg.getContent();
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < mixed.getCount(); i++) {
      if (!mixed.getBodyPart(i).isMimeType("multipart/*")) {
        candidates.add(i); // the transcript (multipart/alternative) always stays
      }
    }
    List<Integer> move = choose(email, limit, mixed, candidates);
    if (move.isEmpty()) {
      return Fitted.unchanged(email);
    }
    Map<Integer, ExternalisedPart> moved = new LinkedHashMap<>();
    for (int i : move.stream().sorted().toList()) {
      BodyPart part = mixed.getBodyPart(i);
      StoredFile stored;
      try (InputStream in = part.getInputStream()) {
        stored = store.store(in);
      }
      moved.put(i, new ExternalisedPart(fileName(part, i), baseType(part), stored));
    }
    for (Map.Entry<Integer, ExternalisedPart> e : moved.entrySet()) {
      mixed.removeBodyPart(e.getKey());
      mixed.addBodyPart(stub(e.getValue(), limit), e.getKey());
    }
    msg.setContent(mixed);
    msg.saveChanges();
    Fitted fitted = write(email, msg, List.copyOf(moved.values()));
    if (fitted.email().size() > limit.maxMessageBytes()) {
      fitted.close();
      throw tooBig(email, limit, "it is still too big with every attachment stored outside it");
    }
    return fitted;
  }

  /** Which parts to move: those over the attachment limit, then the largest until it fits. */
  private static List<Integer> choose(
      ArchiveEmail email, SizeLimit limit, Multipart mixed, List<Integer> candidates)
      throws MessagingException, IOException, OverflowException {
    List<Integer> move = new ArrayList<>();
    List<Integer> rest = new ArrayList<>();
    long estimate = email.size();
    for (int i : candidates) {
      BodyPart part = mixed.getBodyPart(i);
      // decoded is never longer than encoded: decode only parts that might be over
      if (encodedSize(part) > limit.maxAttachmentBytes()
          && decodedSize(part) > limit.maxAttachmentBytes()) {
        move.add(i);
        estimate -= encodedSize(part) - STUB_ALLOWANCE;
      } else {
        rest.add(i);
      }
    }
    rest.sort(
        Comparator.comparingLong((Integer i) -> encodedSizeUnchecked(mixed, i))
            .reversed()
            .thenComparing(Comparator.naturalOrder()));
    for (int i : rest) {
      if (estimate <= limit.maxMessageBytes()) {
        break;
      }
      move.add(i);
      estimate -= encodedSize(mixed.getBodyPart(i)) - STUB_ALLOWANCE;
    }
    if (estimate > limit.maxMessageBytes()) {
      throw tooBig(email, limit, "it is still too big with every attachment stored outside it");
    }
    return move;
  }

  private static MimeBodyPart stub(ExternalisedPart p, SizeLimit limit) throws MessagingException {
    String text =
        String.join(
            "\r\n",
            "This attachment was larger than the archive target accepts, so lp-archiver stored it",
            "outside this email instead of dropping it. The stored file is the attachment's exact",
            "content; its SHA-256 below proves it.",
            "",
            "File name:    " + p.fileName(),
            "Content type: " + p.contentType(),
            "Size:         " + p.file().size() + " bytes",
            "SHA-256:      " + p.file().sha256(),
            "Stored as:    " + p.file().relativePath() + " under archive.overflowDir",
            "Target limit: " + describe(limit),
            "");
    MimeBodyPart stub = new MimeBodyPart();
    stub.setText(text, "UTF-8", "plain");
    stub.setHeader("Content-Transfer-Encoding", "quoted-printable");
    stub.setDisposition(Part.ATTACHMENT);
    stub.setFileName(p.fileName() + ".externalised.txt");
    stub.setHeader(
        STUB_HEADER,
        "sha256="
            + p.file().sha256()
            + "; size="
            + p.file().size()
            + "; file="
            + p.file().relativePath());
    return stub;
  }

  private static String describe(SizeLimit limit) {
    List<String> parts = new ArrayList<>();
    if (limit.maxMessageBytes() != Long.MAX_VALUE) {
      parts.add("message " + limit.maxMessageBytes() + " bytes");
    }
    if (limit.maxAttachmentBytes() != Long.MAX_VALUE) {
      parts.add("attachment " + limit.maxAttachmentBytes() + " bytes");
    }
    return String.join(", ", parts);
  }

  private Fitted write(ArchiveEmail email, MimeMessage msg, List<ExternalisedPart> moved)
      throws IOException, MessagingException {
    MessageDigest sha = Sha256.digest();
    if (email.size() <= IN_MEMORY_MAX) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (OutputStream out = new DigestOutputStream(bytes, sha)) {
        msg.writeTo(out);
      }
      ArchiveEmail small =
          new ArchiveEmail(
              email.key(),
              EmailContent.ofBytes(bytes.toByteArray()),
              HexFormat.of().formatHex(sha.digest()),
              email.subject());
      return new Fitted(small, moved, Optional.empty());
    }
    Files.createDirectories(spoolDir);
    Path file = Files.createTempFile(spoolDir, "fitted-", ".eml");
    try (OutputStream out =
        new DigestOutputStream(new SlicedOutputStream(Files.newOutputStream(file)), sha)) {
      msg.writeTo(out);
    } catch (IOException | MessagingException | RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
    ArchiveEmail large =
        new ArchiveEmail(
            email.key(),
            EmailContent.ofFile(file),
            HexFormat.of().formatHex(sha.digest()),
            email.subject());
    return new Fitted(large, moved, Optional.of(file));
  }

  private Path spool(ArchiveEmail email) throws IOException {
    Files.createDirectories(spoolDir);
    Path file = Files.createTempFile(spoolDir, "source-", ".eml");
    try {
      email.copyTo(file);
    } catch (IOException e) {
      deleteQuietly(file);
      throw e;
    }
    return file;
  }

  private static OverflowException tooBig(ArchiveEmail email, SizeLimit limit, String why) {
    return new OverflowException(
        email.key().messageId()
            + " is "
            + email.size()
            + " bytes, over the target's limit ("
            + describe(limit)
            + "), and "
            + why
            + "; raise the target's limit (e.g. the server's message size limit or"
            + " target.imap.maxMessageSize)",
        false,
        null);
  }

  private static long encodedSize(Part part) throws MessagingException {
    int size = part.getSize();
    return size < 0 ? Long.MAX_VALUE : size;
  }

  private static long encodedSizeUnchecked(Multipart mp, int i) {
    try {
      return encodedSize(mp.getBodyPart(i));
    } catch (MessagingException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long decodedSize(Part part) throws MessagingException, IOException {
    try (InputStream in = part.getInputStream()) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static String fileName(Part part, int index) throws MessagingException {
    String name = part.getFileName();
    return name == null || name.isBlank() ? "part-" + (index + 1) : name;
  }

  private static String baseType(Part part) throws MessagingException {
    try {
      return new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
    } catch (MessagingException e) {
      return "application/octet-stream";
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a leftover temp file in .spool is harmless; the next run's temp names differ
    }
  }

  /** Keeps the email's own Message-ID when the rewritten message is saved. */
  private static final class KeptIdMessage extends MimeMessage {
    KeptIdMessage(InputStream in) throws MessagingException {
      super(SESSION, in);
    }

    @Override
    protected void updateMessageID() {
      // the deterministic Message-ID identifies the conversation version on every target
    }
  }
}
