package io.lparchiver.deliver.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.graph.ParsedEmail.Content;
import io.lparchiver.deliver.graph.ParsedEmail.Person;
import io.lparchiver.model.MessageKey;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Graph message for one archive email, and how it is sent: as one JSON POST with inline
 * attachments while the request stays under 4 MB, else as a message without attachments followed by
 * each attachment (POST under 3 MB, upload session up to 150 MB).
 *
 * <p>The JSON makes a received, read, non-draft item dated at the conversation start: Exchange
 * takes these only at creation (reference 1.2), through the MAPI properties set here.
 */
final class GraphItem {

  /** Fixed GUID of lp-archiver's named extended properties; never change it. */
  static final String GUID = "{6B1D4C3E-8A2F-4F51-9C7E-2D0A5E9B7F13}";

  static final String KEY_PROPERTY = "String " + GUID + " Name LpArchiverMessageKey";
  static final String COUNT_PROPERTY = "Integer " + GUID + " Name LpArchiverAttachmentCount";
  static final String BODY_PROPERTY = "String " + GUID + " Name LpArchiverBodyAttachment";
  // SHA-256 of the body's visible text as sent (BodyText): what verify can compare on Exchange.
  static final String BODY_TEXT_PROPERTY = "String " + GUID + " Name LpArchiverBodyTextSha256";

  /**
   * SHA-256 of the email as rendered (the ledger's hash): Graph rebuilds the message, so {@code
   * verify} compares this recorded value, not bytes.
   */
  static final String EMAIL_SHA256_PROPERTY = "String " + GUID + " Name LpArchiverEmailSha256";

  static final String FLAGS = "Integer 0x0E07";
  static final String DELIVERY_TIME = "SystemTime 0x0E06";
  static final String SUBMIT_TIME = "SystemTime 0x0039";
  static final String IN_REPLY_TO = "String 0x1042";
  static final String REFERENCES = "String 0x1039";

  static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
  static final int INLINE_BUDGET = 3_900_000;
  static final long POST_ATTACHMENT_MAX = 3_000_000;
  static final int CHUNK_BYTES = 10 * 320 * 1024;
  static final long BODY_INLINE_MAX = 1024 * 1024;
  private static final int SUBJECT_MAX = 255;

  /** The X- headers an eDiscovery search most needs; Graph takes at most five. */
  static final List<String> KEPT_HEADERS =
      List.of(
          "X-LivePerson-Account",
          "X-LivePerson-Conversation-Id",
          "X-LivePerson-Channel",
          "X-LivePerson-Version",
          "X-LivePerson-Source-SHA256");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One attachment to add after the message exists (or inline). */
  record Attachment(String name, String contentType, Content content) {
    long size() {
      return content.size();
    }

    InputStream open() throws IOException {
      return content.open();
    }
  }

  private final ObjectNode message;
  private final List<Attachment> attachments;

  private GraphItem(ObjectNode message, List<Attachment> attachments) {
    this.message = message;
    this.attachments = List.copyOf(attachments);
  }

  static GraphItem of(
      MessageKey key, String emailSha256, ParsedEmail email, long maxAttachmentBytes)
      throws DeliveryException {
    try {
      List<Attachment> attachments = new ArrayList<>();
      ObjectNode m = JSON.createObjectNode();
      String subject = email.subject();
      m.put(
          "subject", subject.length() > SUBJECT_MAX ? subject.substring(0, SUBJECT_MAX) : subject);
      Optional<String> bodyAttachment = body(m, email, attachments);
      for (Content c : email.attachments()) {
        attachments.add(new Attachment(c.name(), c.contentType(), c));
      }
      for (Attachment a : attachments) {
        if (a.size() > maxAttachmentBytes) {
          throw new DeliveryException(
              "attachment '"
                  + a.name()
                  + "' of "
                  + key.messageId()
                  + " is "
                  + a.size()
                  + " bytes, over the per-attachment limit of "
                  + (maxAttachmentBytes % (1024 * 1024) == 0
                      ? maxAttachmentBytes / (1024 * 1024) + " MB"
                      : maxAttachmentBytes + " bytes")
                  + " (target.graph.maxAttachmentSize); such parts belong under"
                  + " archive.overflowDir, which the sync pipeline does before delivery",
              false);
        }
      }
      List<Person> from = email.from();
      if (!from.isEmpty()) {
        m.set("from", recipient(from.get(0)));
      }
      m.set("toRecipients", recipients(email.recipients(RecipientType.TO)));
      m.set("ccRecipients", recipients(email.recipients(RecipientType.CC)));
      m.put("internetMessageId", key.messageId());
      m.put("isRead", true);
      ArrayNode headers = m.putArray("internetMessageHeaders");
      for (String name : KEPT_HEADERS) {
        Optional<String> v = email.header(name);
        if (v.isPresent() && !v.get().isEmpty()) {
          headers.addObject().put("name", name).put("value", v.get());
        }
      }
      ArrayNode props = m.putArray("singleValueExtendedProperties");
      property(props, FLAGS, "1"); // MSGFLAG_READ; without MSGFLAG_UNSENT: not a draft
      Optional<Instant> date = email.date();
      if (date.isPresent()) {
        property(props, DELIVERY_TIME, date.get().toString());
        property(props, SUBMIT_TIME, date.get().toString());
      }
      property(props, KEY_PROPERTY, key.messageId());
      property(props, EMAIL_SHA256_PROPERTY, emailSha256);
      property(props, COUNT_PROPERTY, Integer.toString(attachments.size()));
      bodyAttachment.ifPresent(name -> property(props, BODY_PROPERTY, name));
      property(
          props,
          BODY_TEXT_PROPERTY,
          BodyText.sha256(
              m.path("body").path("contentType").asText(),
              m.path("body").path("content").asText()));
      email.header("In-Reply-To").ifPresent(v -> property(props, IN_REPLY_TO, v));
      email.header("References").ifPresent(v -> property(props, REFERENCES, v));
      return new GraphItem(m, attachments);
    } catch (MessagingException | IOException e) {
      throw new DeliveryException(
          "cannot convert " + key.messageId() + " to a Graph message: " + e.getMessage(), false, e);
    }
  }

  /** The body inline, or, when too large for a request, a note plus the body as an attachment. */
  private static Optional<String> body(
      ObjectNode m, ParsedEmail email, List<Attachment> attachments) throws IOException {
    ObjectNode body = m.putObject("body");
    String type = email.bodyIsHtml() ? "html" : "text";
    body.put("contentType", type);
    Optional<Content> content = email.body();
    if (content.isEmpty()) {
      body.put("content", "");
      return Optional.empty();
    }
    Content c = content.get();
    if (c.size() <= BODY_INLINE_MAX) {
      body.put("content", c.text());
      return Optional.empty();
    }
    String name = "message-body." + (email.bodyIsHtml() ? "html" : "txt");
    String note =
        "This conversation's transcript is "
            + c.size()
            + " bytes, more than a Microsoft 365 item"
            + " body can be given in one request; it is attached in full as "
            + name
            + ".";
    body.put(
        "content", email.bodyIsHtml() ? "<html><body><p>" + note + "</p></body></html>" : note);
    attachments.add(new Attachment(name, c.contentType(), c));
    return Optional.of(name);
  }

  private static void property(ArrayNode props, String id, String value) {
    props.addObject().put("id", id).put("value", value);
  }

  private static ArrayNode recipients(List<Person> people) {
    ArrayNode list = JSON.createArrayNode();
    people.forEach(p -> list.add(recipient(p)));
    return list;
  }

  private static ObjectNode recipient(Person p) {
    ObjectNode r = JSON.createObjectNode();
    ObjectNode address = r.putObject("emailAddress").put("address", p.address());
    if (!p.name().isEmpty()) {
      address.put("name", p.name());
    }
    return r;
  }

  List<Attachment> attachments() {
    return attachments;
  }

  /**
   * The whole item in one request, when it fits under the 4 MB request limit. Written in one pass:
   * the body is most of an item, and serialising it once to estimate and again to send was a
   * twentieth of a Graph sync's CPU.
   */
  Optional<byte[]> inlineRequest() throws IOException {
    long estimate = message.path("body").path("content").asText().length();
    for (Attachment a : attachments) {
      estimate += 4 * ((a.size() + 2) / 3) + 2L * a.name().length() + 200;
    }
    if (estimate > INLINE_BUDGET) {
      return Optional.empty();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) estimate + 4096);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> field : message.properties()) {
        g.writeFieldName(field.getKey());
        g.writeTree(field.getValue());
      }
      g.writeArrayFieldStart("attachments");
      for (Attachment a : attachments) {
        g.writeTree(fileAttachment(a));
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.size() < MAX_REQUEST_BYTES ? Optional.of(out.toByteArray()) : Optional.empty();
  }

  /** The message without attachments, for the create-then-attach path. */
  byte[] messageOnly() {
    return GraphApi.bytes(message);
  }

  /** A fileAttachment JSON (only for attachments under 3 MB: the bytes are held briefly). */
  static ObjectNode fileAttachment(Attachment a) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("@odata.type", "#microsoft.graph.fileAttachment");
    n.put("name", a.name());
    n.put("contentType", a.contentType());
    try (InputStream in = a.open()) {
      n.put("contentBytes", Base64.getEncoder().encodeToString(in.readAllBytes()));
    }
    return n;
  }
}
