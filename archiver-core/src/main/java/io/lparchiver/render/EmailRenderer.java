package io.lparchiver.render;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Message;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Recipients;
import io.lparchiver.model.Sha256;
import io.lparchiver.model.SharedFile;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders one conversation version as one RFC 5322 email (see docs/email-format.md): headers for
 * search and threading, a text and an HTML transcript, the raw LivePerson record as {@code
 * conversation.json}, and rich content JSON the transcript could not show in full.
 *
 * <p>Deterministic: the same input gives the same bytes (fixed Message-ID and boundaries, no
 * current time), so the SHA-256 identifies the email on every target. Thread-safe and stateless;
 * one instance can serve the whole pipeline.
 */
public final class EmailRenderer {

  private final Times times;

  /** Renders transcript times in UTC. */
  public EmailRenderer() {
    this(ZoneOffset.UTC);
  }

  /**
   * @param displayZone the zone of the times in the transcript; headers and the subject are always
   *     UTC
   */
  public EmailRenderer(ZoneId displayZone) {
    this.times = new Times(Objects.requireNonNull(displayZone, "displayZone"));
  }

  /**
   * Renders a conversation version without downloaded file bytes (files are listed by reference).
   *
   * @param previousVersions keys of earlier versions (for In-Reply-To / References), oldest first
   */
  public ArchiveEmail render(
      FetchedConversation fetched,
      MessageKey key,
      Recipients recipients,
      List<MessageKey> previousVersions)
      throws RenderException {
    return render(fetched, key, recipients, previousVersions, List.of());
  }

  /**
   * Renders a conversation version and attaches the given shared files after {@code
   * conversation.json}, in the given order.
   *
   * @param previousVersions keys of earlier versions (for In-Reply-To / References), oldest first
   * @param files downloaded shared files to attach
   */
  public ArchiveEmail render(
      FetchedConversation fetched,
      MessageKey key,
      Recipients recipients,
      List<MessageKey> previousVersions,
      List<AttachmentContent> files)
      throws RenderException {
    return render(
        fetched,
        key,
        recipients,
        previousVersions,
        files.stream().map(FilePart::of).toList(),
        Map.of());
  }

  /**
   * Renders a conversation version with the outcome of downloading its LivePerson-hosted files:
   * each downloaded file is attached under its own name and type; a file LivePerson no longer holds
   * is named in the transcript (text and HTML) with the reason, never left out silently.
   *
   * @param previousVersions keys of earlier versions (for In-Reply-To / References), oldest first
   * @param sharedFiles one entry per distinct hosted file of the conversation
   */
  public ArchiveEmail renderWithSharedFiles(
      FetchedConversation fetched,
      MessageKey key,
      Recipients recipients,
      List<MessageKey> previousVersions,
      List<SharedFile> sharedFiles)
      throws RenderException {
    Map<String, SharedFile> byPath = new LinkedHashMap<>();
    sharedFiles.forEach(f -> byPath.putIfAbsent(f.relativePath(), f));
    List<FilePart> parts =
        byPath.values().stream()
            .filter(SharedFile.Downloaded.class::isInstance)
            .map(f -> FilePart.of((SharedFile.Downloaded) f))
            .toList();
    return render(fetched, key, recipients, previousVersions, parts, byPath);
  }

  private ArchiveEmail render(
      FetchedConversation fetched,
      MessageKey key,
      Recipients recipients,
      List<MessageKey> previousVersions,
      List<FilePart> files,
      Map<String, SharedFile> byPath)
      throws RenderException {
    Conversation c = fetched.conversation();
    byte[] raw = fetched.rawRecord();
    String sha = Validation.check(c, raw, fetched.sourceSha256(), key, previousVersions);
    try {
      return assemble(c, raw, sha, key, recipients, previousVersions, files, byPath);
    } catch (MessagingException | IOException e) {
      throw new RenderException(
          "conversation " + key.conversationId() + " v" + key.version() + ": MIME failed: " + e, e);
    }
  }

  private ArchiveEmail assemble(
      Conversation c,
      byte[] raw,
      String sha,
      MessageKey key,
      Recipients recipients,
      List<MessageKey> previous,
      List<FilePart> files,
      Map<String, SharedFile> byPath)
      throws RenderException, MessagingException, IOException {
    People people = new People(c, recipients);
    TranscriptBuilder.Built built =
        new TranscriptBuilder(c, key, people, times, sha, files, byPath).build();
    MimeMessage msg = new MimeAssembly.ArchiveMessage(key.messageId());
    String subject = Headers.apply(msg, c, key, people, previous, sha);
    Body body = body(built, raw, files, boundaryPrefix(key));
    msg.setContent(body.mixed());
    msg.saveChanges();
    // sized for the whole email at once: growing and copying a buffer this size costs as much as
    // writing it
    MimeBuffer out = new MimeBuffer(Math.toIntExact(Math.min(body.size() + 16_384, 1L << 30)));
    msg.writeTo(out);
    return new ArchiveEmail(key, out.content(), out.sha256(), subject);
  }

  /** The parts, and the size of their encoded bodies: the email's size but for its headers. */
  private record Body(MimeMultipart mixed, long size) {}

  private static Body body(
      TranscriptBuilder.Built built, byte[] raw, List<FilePart> files, String boundary)
      throws MessagingException {
    MimeBodyPart text = MimeAssembly.text(TextTranscript.write(built.transcript()), "plain");
    MimeBodyPart html = MimeAssembly.text(HtmlTranscript.write(built.transcript()), "html");
    MimeMultipart alternative = new MimeAssembly.FixedMultipart("alternative", boundary + "2");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    MimeMultipart mixed = new MimeAssembly.FixedMultipart("mixed", boundary + "1");
    MimeBodyPart wrapper = new MimeBodyPart();
    wrapper.setContent(alternative);
    mixed.addBodyPart(wrapper);
    List<MimeBodyPart> attachments = new ArrayList<>();
    attachments.add(MimeAssembly.attachment(Attachments.RECORD_NAME, "application/json", raw));
    for (Message m : built.richJsonAttachments()) {
      byte[] json = m.richContentJson().orElse("").getBytes(StandardCharsets.UTF_8);
      attachments.add(MimeAssembly.attachment(Attachments.richName(m), "application/json", json));
    }
    long size = MimeAssembly.encodedSize(text) + MimeAssembly.encodedSize(html);
    for (MimeBodyPart part : attachments) {
      mixed.addBodyPart(part);
      size += MimeAssembly.encodedSize(part);
    }
    for (FilePart f : files) {
      mixed.addBodyPart(MimeAssembly.attachment(f));
      size += f.size() / 57 * 78 + 80; // streamed as base64: 76 characters and CRLF per 57 bytes
    }
    return new Body(mixed, size);
  }

  // "=_" cannot occur in quoted-printable or base64 output, so no part can contain a boundary.
  private static String boundaryPrefix(MessageKey key) {
    String hash = sha256Hex(key.messageId().getBytes(StandardCharsets.US_ASCII));
    return "----=_lp_" + hash.substring(0, 16) + "_";
  }

  static String sha256Hex(byte[] bytes) {
    return Sha256.of(bytes);
  }
}
