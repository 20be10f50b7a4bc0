package io.lparchiver.sim.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Mail folders, messages, attachments and upload sessions of the simulated mailboxes. */
final class MailApi {

  static final int MIN_SESSION_BYTES = 3 * 1024 * 1024;
  static final long MAX_ATTACHMENT_BYTES = 150L * 1024 * 1024;
  static final int CHUNK_MULTIPLE = 320 * 1024;
  private static final int MAX_CUSTOM_HEADERS = 5;
  private static final int MAX_MESSAGE_PAGE = 1000;
  private static final Pattern DISPLAY_NAME_FILTER =
      Pattern.compile("displayName eq '((?:[^']|'')*)'");
  private static final Pattern PROPERTY_FILTER =
      Pattern.compile(
          "singleValueExtendedProperties/any\\((\\w+):\\s*\\1/id eq '((?:[^']|'')*)' and \\1/value"
              + " eq '((?:[^']|'')*)'\\)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern MESSAGE_ID_FILTER =
      Pattern.compile("internetMessageId eq '((?:[^']|'')*)'");
  private static final Pattern EXPAND_IDS = Pattern.compile("id eq '((?:[^']|'')*)'");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
  private static final String TYPES =
      "(?:Binary|Boolean|Currency|Double|Float|Integer|Long|Short|String|SystemTime|CLSID"
          + "|ApplicationTime|Object)(?:Array)?";
  private static final Pattern PROPERTY_ID =
      Pattern.compile(
          TYPES
              + " (?:0x[0-7][0-9A-Fa-f]{3}|\\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}"
              + "-[0-9A-Fa-f]{12}\\} (?:Name \\S.{0,254}|Id 0x[0-9A-Fa-f]{4}))");

  /** An upload in progress: only a running hash is kept, never the bytes. */
  private static final class Session {
    final String mailboxId;
    final String messageId;
    final String name;
    final String contentType;
    final long size;
    final Instant expires;
    final MessageDigest digest = sha256();
    long next;

    Session(
        String mailboxId,
        String messageId,
        String name,
        String contentType,
        long size,
        Instant expires) {
      this.mailboxId = mailboxId;
      this.messageId = messageId;
      this.name = name;
      this.contentType = contentType;
      this.size = size;
      this.expires = expires;
    }
  }

  private final Clock clock;
  private final int pageSize;
  private final int folderExistsStatus;
  private final Duration sessionLifetime;
  private final String uploadBase;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final long maxAttachmentBytes;

  MailApi(
      Clock clock,
      int pageSize,
      int folderExistsStatus,
      Duration sessionLifetime,
      String uploadBase,
      long maxAttachmentBytes) {
    this.maxAttachmentBytes = maxAttachmentBytes;
    this.clock = clock;
    this.pageSize = pageSize;
    this.folderExistsStatus = folderExistsStatus;
    this.sessionLifetime = sessionLifetime;
    this.uploadBase = uploadBase;
  }

  // --- folders ---------------------------------------------------------------------------

  Res listChildFolders(SimMailbox box, Req req) throws GraphError {
    StoredFolder parent = folder(box, req.group(0));
    Predicate<StoredFolder> filter = f -> true;
    Optional<String> f = req.param("$filter");
    if (f.isPresent()) {
      Matcher m = DISPLAY_NAME_FILTER.matcher(f.get().trim());
      if (!m.matches()) {
        throw GraphError.badRequest(
            "ErrorInvalidUrlQueryFilter",
            "The $filter is not supported by this simulator: " + f.get());
      }
      String name = unquote(m.group(1));
      filter = x -> x.displayName().equalsIgnoreCase(name);
    }
    List<ObjectNode> items = new ArrayList<>();
    for (StoredFolder child : box.children(parent.id())) {
      if (filter.test(child)) {
        items.add(folderJson(box, child));
      }
    }
    return page(items, req);
  }

  Res createChildFolder(SimMailbox box, Req req) throws GraphError {
    StoredFolder parent = folder(box, req.group(0));
    JsonNode body = jsonBody(req);
    String name = body.path("displayName").asText("");
    if (name.isBlank()) {
      throw GraphError.badRequest("ErrorInvalidRequest", "displayName is required.");
    }
    Optional<StoredFolder> created = box.createChild(parent.id(), name);
    if (created.isEmpty()) {
      throw new GraphError(
          folderExistsStatus,
          "ErrorFolderExists",
          "A folder with the specified name already exists.");
    }
    return Res.json(201, folderJson(box, created.get()));
  }

  private static StoredFolder folder(SimMailbox box, String idOrName) throws GraphError {
    return box.folder(idOrName)
        .orElseThrow(
            () ->
                GraphError.notFound(
                    "ErrorItemNotFound", "The specified object was not found in the store."));
  }

  private static ObjectNode folderJson(SimMailbox box, StoredFolder f) {
    ObjectNode n = Res.JSON.createObjectNode();
    n.put("id", f.id());
    n.put("displayName", f.displayName());
    n.put("parentFolderId", f.parentFolderId());
    n.put("childFolderCount", box.children(f.id()).size());
    List<StoredMessage> items = box.messagesIn(f.id());
    n.put("unreadItemCount", items.stream().filter(m -> !m.isRead()).count());
    n.put("totalItemCount", items.size());
    n.put("isHidden", false);
    return n;
  }

  // --- messages --------------------------------------------------------------------------

  Res createMessage(SimMailbox box, Req req) throws GraphError {
    StoredFolder target = folder(box, req.group(0));
    String contentType = req.header("content-type").orElse("").toLowerCase(Locale.ROOT);
    if (contentType.startsWith("text/plain")) {
      throw new GraphError(
          501, "NotImplemented", "MIME create is not simulated (lp-archiver posts JSON).");
    }
    if (!contentType.startsWith("application/json")) {
      throw new GraphError(415, "UnsupportedMediaType", "Content-Type must be application/json.");
    }
    JsonNode parsed = jsonBody(req);
    if (!parsed.isObject()) {
      throw GraphError.badRequest("RequestBodyRead", "The request body must be a JSON object.");
    }
    ObjectNode json = ((ObjectNode) parsed).deepCopy();
    checkHeaders(json.path("internetMessageHeaders"));
    Map<String, String> props = properties(json.path("singleValueExtendedProperties"));
    List<StoredAttachment> attachments = new ArrayList<>();
    JsonNode atts = json.path("attachments");
    if (!atts.isMissingNode() && !atts.isNull()) {
      for (JsonNode a : atts) {
        Decoded d = fileAttachment(a, "inline");
        attachments.add(d.attachment());
        box.keepContent(d.attachment().id(), d.bytes());
      }
    }
    json.remove("attachments");
    json.remove("singleValueExtendedProperties");
    Instant now = clock.instant();
    Optional<Long> flags = Optional.ofNullable(props.get("Integer 0x0E07")).map(Long::parseLong);
    boolean draft = flags.map(v -> (v & 0x8) != 0).orElse(true);
    boolean read = json.path("isRead").asBoolean(flags.map(v -> (v & 0x1) != 0).orElse(false));
    Instant received =
        Optional.ofNullable(props.get("SystemTime 0x0E06")).map(Instant::parse).orElse(now);
    Instant sent =
        Optional.ofNullable(props.get("SystemTime 0x0039")).map(Instant::parse).orElse(now);
    StoredMessage m =
        new StoredMessage(
            SimMailbox.newId("M"),
            target.id(),
            json,
            props,
            attachments,
            draft,
            read,
            received,
            sent);
    box.put(m);
    return Res.json(201, messageJson(m, Set.of()));
  }

  private static void checkHeaders(JsonNode headers) throws GraphError {
    if (headers.isMissingNode() || headers.isNull()) {
      return;
    }
    if (headers.size() > MAX_CUSTOM_HEADERS) {
      throw GraphError.badRequest(
          "InvalidInternetMessageHeaderCollection",
          "Maximum number of headers in one message should be less than or equal to 5.");
    }
    for (JsonNode h : headers) {
      if (!h.path("name").asText("").toLowerCase(Locale.ROOT).startsWith("x-")) {
        throw GraphError.badRequest(
            "InvalidInternetMessageHeader",
            "The internet message header name '"
                + h.path("name").asText()
                + "' should start with 'x-' or 'X-'.");
      }
    }
  }

  private static Map<String, String> properties(JsonNode list) throws GraphError {
    Map<String, String> props = new LinkedHashMap<>();
    if (list.isMissingNode() || list.isNull()) {
      return props;
    }
    for (JsonNode p : list) {
      String id = p.path("id").asText("");
      String value = p.path("value").asText(null);
      if (!PROPERTY_ID.matcher(id).matches() || value == null) {
        throw GraphError.badRequest(
            "ErrorInvalidProperty", "The extended property id '" + id + "' is not valid.");
      }
      try {
        if (id.startsWith("Integer ")) {
          Integer.parseInt(value);
        } else if (id.startsWith("SystemTime ")) {
          Instant.parse(value);
        }
      } catch (NumberFormatException | DateTimeParseException e) {
        throw GraphError.badRequest(
            "ErrorInvalidExtendedPropertyValue",
            "The value of extended property '" + id + "' is not valid.");
      }
      props.put(id, value);
    }
    return props;
  }

  /** An attachment as decoded from a request, with its bytes (kept for {@code $value}). */
  private record Decoded(StoredAttachment attachment, byte[] bytes) {}

  private Decoded fileAttachment(JsonNode a, String via) throws GraphError {
    String type = a.path("@odata.type").asText("");
    if (type.isEmpty()) {
      throw new GraphError(
          422,
          "UnprocessableType",
          "Cannot process input of abstract type 'Microsoft.OutlookServices.Attachment'");
    }
    if (!type.equals("#microsoft.graph.fileAttachment")) {
      throw GraphError.badRequest(
          "ErrorInvalidRequest", "Only file attachments are simulated: " + type);
    }
    String name = a.path("name").asText("");
    if (name.isBlank()) {
      throw GraphError.badRequest("ErrorInvalidRequest", "An attachment needs a name.");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(a.path("contentBytes").asText(""));
    } catch (IllegalArgumentException e) {
      throw GraphError.badRequest("ErrorInvalidRequest", "contentBytes is not valid base64.");
    }
    if (bytes.length > maxAttachmentBytes) {
      throw tooLarge();
    }
    return new Decoded(
        new StoredAttachment(
            SimMailbox.newId("A"),
            name,
            a.path("contentType").asText("application/octet-stream"),
            bytes.length,
            HexFormat.of().formatHex(sha256().digest(bytes)),
            via),
        bytes);
  }

  private GraphError tooLarge() {
    return GraphError.badRequest(
        "ErrorAttachmentSizeShouldNotBeGreaterThanMaximumSize",
        maxAttachmentBytes == MAX_ATTACHMENT_BYTES
            ? "Attachment size must not exceed 150 MB."
            : "Attachment size must not exceed " + maxAttachmentBytes + " bytes.");
  }

  /**
   * A page of a folder's messages: {@code $filter} first, then the page ({@code $top} 1 to 1,000,
   * default the simulator's page size, as Graph's default of 10), then {@code $select} and {@code
   * $expand} shape each item of the page.
   */
  Res listMessages(SimMailbox box, Req req) throws GraphError {
    StoredFolder f = folder(box, req.group(0));
    Predicate<StoredMessage> filter = messageFilter(req.param("$filter"));
    Set<String> expand = expandedProperties(req.param("$expand"));
    Optional<Set<String>> select = selected(req.param("$select"));
    Optional<String> top = req.param("$top");
    if (top.isPresent()) {
      int n;
      try {
        n = Integer.parseInt(top.get().trim());
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1 || n > MAX_MESSAGE_PAGE) {
        // Graph documents 1 to 1,000 for messages; the error code it answers is our choice
        throw GraphError.badRequest(
            "ErrorInvalidUrlQuery", "$top must be between 1 and " + MAX_MESSAGE_PAGE + ".");
      }
    }
    List<StoredMessage> matching = new ArrayList<>();
    for (StoredMessage m : box.messagesIn(f.id())) {
      if (filter.test(m)) {
        matching.add(m);
      }
    }
    return page(matching, req, m -> select(messageJson(m, expand), select));
  }

  /** {@code $select}: the named fields only (with id and any expanded properties); empty: all. */
  private static Optional<Set<String>> selected(Optional<String> select) {
    if (select.isEmpty() || select.get().isBlank() || select.get().trim().equals("*")) {
      return Optional.empty();
    }
    Set<String> fields = new java.util.HashSet<>(List.of(select.get().trim().split("\\s*,\\s*")));
    fields.add("id");
    fields.add("singleValueExtendedProperties");
    return Optional.of(fields);
  }

  private static ObjectNode select(ObjectNode item, Optional<Set<String>> fields) {
    fields.ifPresent(item::retain);
    return item;
  }

  private static Predicate<StoredMessage> messageFilter(Optional<String> filter) throws GraphError {
    if (filter.isEmpty()) {
      return m -> true;
    }
    String f = filter.get().trim();
    Matcher p = PROPERTY_FILTER.matcher(f);
    if (p.matches()) {
      String id = unquote(p.group(2));
      String value = unquote(p.group(3));
      // Graph: the name part of the id is case-sensitive, the value is not [G4].
      return m -> m.property(id).map(v -> v.equalsIgnoreCase(value)).orElse(false);
    }
    Matcher mid = MESSAGE_ID_FILTER.matcher(f);
    if (mid.matches()) {
      String value = unquote(mid.group(1));
      return m -> value.equals(m.json().path("internetMessageId").asText());
    }
    throw GraphError.badRequest(
        "ErrorInvalidUrlQueryFilter", "The $filter is not supported by this simulator: " + f);
  }

  private static Set<String> expandedProperties(Optional<String> expand) throws GraphError {
    if (expand.isEmpty()) {
      return Set.of();
    }
    String e = expand.get().trim();
    if (!e.startsWith("singleValueExtendedProperties($filter=") || !e.endsWith(")")) {
      throw GraphError.badRequest("BadRequest", "Unsupported $expand: " + e);
    }
    Set<String> ids = new java.util.HashSet<>();
    Matcher m = EXPAND_IDS.matcher(e);
    while (m.find()) {
      ids.add(unquote(m.group(1)));
    }
    return ids;
  }

  Res getMessage(SimMailbox box, Req req) throws GraphError {
    StoredMessage m = message(box, req.group(0));
    return Res.json(
        200,
        select(
            messageJson(m, expandedProperties(req.param("$expand"))),
            selected(req.param("$select"))));
  }

  Res deleteMessage(SimMailbox box, Req req) throws GraphError {
    if (!box.delete(req.group(0))) {
      throw GraphError.notFound(
          "ErrorItemNotFound", "The specified object was not found in the store.");
    }
    return Res.noContent();
  }

  /** PATCH is accepted, but like Exchange it cannot change flags after the first save. */
  Res patchMessage(SimMailbox box, Req req) throws GraphError {
    StoredMessage m = message(box, req.group(0));
    jsonBody(req);
    return Res.json(200, messageJson(m, Set.of()));
  }

  private static StoredMessage message(SimMailbox box, String id) throws GraphError {
    return box.message(id)
        .orElseThrow(
            () ->
                GraphError.notFound(
                    "ErrorItemNotFound", "The specified object was not found in the store."));
  }

  /**
   * The body as Exchange Online gives it back: an HTML body is stored in Exchange's own rendition
   * (a head with a meta charset, CRLF line breaks), never byte for byte as posted; clients may rely
   * only on what it says, not on its markup. A text body comes back as sent.
   */
  private static JsonNode exchangeRendition(JsonNode body) {
    if (!(body instanceof ObjectNode original)) {
      return body.deepCopy();
    }
    ObjectNode copy = original.deepCopy();
    if ("html".equalsIgnoreCase(body.path("contentType").asText())) {
      copy.put("content", htmlRendition(body.path("content").asText("")));
    }
    return copy;
  }

  /**
   * Exchange's HTML: what lies between the first {@code <body ...>} and the first {@code </body>}
   * after it (ASCII letters in any case; all of it when there is no body element), line breaks made
   * CRLF, in a document of Exchange's own head. One pass: a transcript can be megabytes long.
   */
  static String htmlRendition(String html) {
    int from = 0;
    int open = indexOfTag(html, "<body", 0);
    if (open >= 0) {
      int end = html.indexOf('>', open + 5);
      if (end >= 0) {
        from = end + 1;
      }
    }
    int close = indexOfTag(html, "</body>", from);
    int to = close >= 0 ? close : html.length();
    StringBuilder out = new StringBuilder(to - from + 160);
    out.append(
        "<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
            + "\r\n</head>\r\n<body>\r\n");
    int copied = from;
    for (int i = html.indexOf('\n', from); i >= 0 && i < to; i = html.indexOf('\n', i + 1)) {
      if (i == 0 || html.charAt(i - 1) != '\r') {
        out.append(html, copied, i).append('\r');
        copied = i;
      }
    }
    out.append(html, copied, to);
    return out.append("\r\n</body>\r\n</html>\r\n").toString();
  }

  /**
   * The first {@code tag} from {@code from} on, letters in any case. {@code regionMatches} folds
   * case beyond ASCII too, but no other character folds to the letters of "body".
   */
  private static int indexOfTag(String text, String tag, int from) {
    for (int i = text.indexOf('<', from); i >= 0; i = text.indexOf('<', i + 1)) {
      if (text.regionMatches(true, i, tag, 0, tag.length())) {
        return i;
      }
    }
    return -1;
  }

  private static ObjectNode messageJson(StoredMessage m, Set<String> expand) {
    ObjectNode n = Res.JSON.createObjectNode();
    n.put("id", m.id());
    n.put("parentFolderId", m.folderId());
    n.put("subject", m.subject());
    n.put("isDraft", m.isDraft());
    n.put("isRead", m.isRead());
    n.put("receivedDateTime", m.receivedDateTime().toString());
    n.put("sentDateTime", m.sentDateTime().toString());
    n.put("hasAttachments", !m.attachments().isEmpty());
    n.put(
        "internetMessageId",
        m.json().path("internetMessageId").asText("<" + m.id() + "@sim.outlook>"));
    n.set("body", exchangeRendition(m.json().path("body")));
    n.set("from", m.json().path("from").deepCopy());
    n.set("toRecipients", m.json().path("toRecipients").deepCopy());
    if (!expand.isEmpty()) {
      ArrayNode props = n.putArray("singleValueExtendedProperties");
      m.extendedProperties()
          .forEach(
              (id, value) -> {
                if (expand.contains(id)) {
                  props.addObject().put("id", id).put("value", value);
                }
              });
    }
    return n;
  }

  // --- attachments -----------------------------------------------------------------------

  Res listAttachments(SimMailbox box, Req req) throws GraphError {
    StoredMessage m = message(box, req.group(0));
    List<ObjectNode> items = new ArrayList<>();
    for (StoredAttachment a : m.attachments()) {
      ObjectNode n = Res.JSON.createObjectNode();
      n.put("@odata.type", "#microsoft.graph.fileAttachment");
      n.put("id", a.id());
      n.put("name", a.name());
      n.put("contentType", a.contentType());
      n.put("size", a.size());
      n.put("isInline", false);
      items.add(n);
    }
    return page(items, req);
  }

  Res addAttachment(SimMailbox box, Req req) throws GraphError {
    message(box, req.group(0));
    Decoded d = fileAttachment(jsonBody(req), "post");
    StoredAttachment a = d.attachment();
    if (!box.attach(req.group(0), a)) {
      throw GraphError.notFound(
          "ErrorItemNotFound", "The specified object was not found in the store.");
    }
    box.keepContent(a.id(), d.bytes());
    ObjectNode n = Res.JSON.createObjectNode();
    n.put("@odata.type", "#microsoft.graph.fileAttachment");
    n.put("id", a.id());
    n.put("name", a.name());
    n.put("size", a.size());
    return Res.json(201, n);
  }

  /**
   * {@code GET .../attachments/{id}/$value}: the raw bytes. Attachments that came through an upload
   * session are kept as a hash only (150 MB files cost no memory), so their bytes are not served.
   */
  Res attachmentValue(SimMailbox box, Req req) throws GraphError {
    StoredMessage m = message(box, req.group(0));
    String id = req.group(1);
    if (m.attachments().stream().noneMatch(a -> a.id().equals(id))) {
      throw GraphError.notFound(
          "ErrorItemNotFound", "The specified object was not found in the store.");
    }
    Optional<byte[]> content = box.content(id);
    if (content.isEmpty()) {
      throw new GraphError(
          501,
          "NotImplemented",
          "The simulator keeps only the hash of attachments uploaded through an upload session.");
    }
    return new Res(200, content.get(), Map.of(), false);
  }

  Res createUploadSession(SimMailbox box, String mailboxId, Req req) throws GraphError {
    message(box, req.group(0));
    JsonNode item = jsonBody(req).path("AttachmentItem");
    if (!"file".equalsIgnoreCase(item.path("attachmentType").asText(""))) {
      throw new GraphError(
          405,
          "ErrorAttachmentSessionIsSupportedOnlyForFileAttachments",
          "Upload sessions are supported only for file attachments.");
    }
    long size = item.path("size").asLong(-1);
    String name = item.path("name").asText("");
    if (name.isBlank() || size < 0) {
      throw GraphError.badRequest("ErrorInvalidRequest", "AttachmentItem needs name and size.");
    }
    if (size < MIN_SESSION_BYTES) {
      throw GraphError.badRequest(
          "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
          "Attachment size must be at least 3 MB for an upload session.");
    }
    if (size > maxAttachmentBytes) {
      throw tooLarge();
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    Instant expires = clock.instant().plus(sessionLifetime);
    sessions.put(
        id,
        new Session(
            mailboxId,
            req.group(0),
            name,
            item.path("contentType").asText("application/octet-stream"),
            size,
            expires));
    ObjectNode n = Res.JSON.createObjectNode();
    n.put(
        "@odata.context",
        "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession");
    n.put("uploadUrl", uploadBase + "/upload/" + id + "?authtoken=" + UUID.randomUUID());
    n.put("expirationDateTime", expires.toString());
    n.putArray("nextExpectedRanges").add("0-");
    return Res.json(201, n);
  }

  /** The mailbox an upload session writes to, for concurrency accounting. */
  Optional<String> sessionMailbox(String sessionId) {
    return Optional.ofNullable(sessions.get(sessionId)).map(s -> s.mailboxId);
  }

  Res uploadChunk(SimMailbox box, Req req) throws GraphError {
    Session s = session(req.group(0));
    synchronized (s) {
      Matcher m = CONTENT_RANGE.matcher(req.header("content-range").orElse(""));
      if (!m.matches()) {
        throw GraphError.badRequest(
            "InvalidContentRange", "Content-Range must be 'bytes start-end/total'.");
      }
      long start = Long.parseLong(m.group(1));
      long end = Long.parseLong(m.group(2));
      long total = Long.parseLong(m.group(3));
      long length = req.body().length;
      boolean last = end + 1 == s.size;
      if (total != s.size
          || start != s.next
          || end < start
          || end - start + 1 != length
          || end >= s.size) {
        throw new GraphError(
            416,
            "InvalidRange",
            "Expected bytes "
                + s.next
                + "- of "
                + s.size
                + ", got "
                + start
                + "-"
                + end
                + "/"
                + total
                + " with "
                + length
                + " bytes.");
      }
      if (!last && length % CHUNK_MULTIPLE != 0) {
        throw GraphError.badRequest(
            "InvalidChunkSize", "Chunks other than the last must be a multiple of 320 KiB.");
      }
      s.digest.update(req.body());
      s.next = end + 1;
      if (!last) {
        return Res.json(200, progress(s));
      }
      sessions.remove(req.group(0));
      StoredAttachment a =
          new StoredAttachment(
              SimMailbox.newId("A"),
              s.name,
              s.contentType,
              s.size,
              HexFormat.of().formatHex(s.digest.digest()),
              "uploadSession");
      if (!box.attach(s.messageId, a)) {
        throw GraphError.notFound(
            "ErrorItemNotFound", "The message of this upload session was deleted.");
      }
      return new Res(
          201, new byte[0], Map.of("Location", uploadBase + "/attachments/" + a.id()), false);
    }
  }

  Res uploadStatus(Req req) throws GraphError {
    Session s = session(req.group(0));
    synchronized (s) {
      return Res.json(200, progress(s));
    }
  }

  Res cancelUpload(Req req) throws GraphError {
    session(req.group(0));
    sessions.remove(req.group(0));
    return Res.noContent();
  }

  private Session session(String id) throws GraphError {
    Session s = sessions.get(id);
    if (s == null || !clock.instant().isBefore(s.expires)) {
      sessions.remove(id);
      throw GraphError.notFound(
          "ErrorItemNotFound", "The upload session does not exist or has expired.");
    }
    return s;
  }

  private static ObjectNode progress(Session s) {
    ObjectNode n = Res.JSON.createObjectNode();
    n.put("expirationDateTime", s.expires.toString());
    n.putArray("nextExpectedRanges").add(s.next + "-");
    return n;
  }

  // --- helpers ---------------------------------------------------------------------------

  private Res page(List<ObjectNode> items, Req req) throws GraphError {
    return page(items, req, item -> item);
  }

  /** One page of {@code items}; only the page's items are turned into JSON. */
  private <T> Res page(List<T> items, Req req, java.util.function.Function<T, ObjectNode> json)
      throws GraphError {
    int skip = 0;
    Optional<String> token = req.param("$skiptoken");
    if (token.isPresent()) {
      try {
        skip = Integer.parseInt(token.get());
      } catch (NumberFormatException e) {
        throw GraphError.badRequest("BadRequest", "Invalid $skiptoken.");
      }
    }
    int top = pageSize;
    if (req.param("$top").isPresent()) {
      top = Math.min(Integer.parseInt(req.param("$top").get()), 1000);
    }
    ObjectNode body = Res.JSON.createObjectNode();
    ArrayNode value = body.putArray("value");
    int end = Math.min(items.size(), skip + top);
    for (int i = skip; i < end; i++) {
      value.add(json.apply(items.get(i)));
    }
    if (end < items.size()) {
      Map<String, String> next = new LinkedHashMap<>(req.query());
      next.put("$skiptoken", Integer.toString(end));
      body.put("@odata.nextLink", uploadBase + req.path() + "?" + GraphSimulator.formatQuery(next));
    }
    return Res.json(200, body);
  }

  private static JsonNode jsonBody(Req req) throws GraphError {
    try {
      JsonNode n = Res.JSON.readTree(req.body());
      if (n == null || n.isMissingNode()) {
        throw GraphError.badRequest("RequestBodyRead", "Empty request body.");
      }
      return n;
    } catch (IOException e) {
      throw GraphError.badRequest("RequestBodyRead", "The request body is not valid JSON.");
    }
  }

  static String unquote(String odataString) {
    return odataString.replace("''", "'");
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
