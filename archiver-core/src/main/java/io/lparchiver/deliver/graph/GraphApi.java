package io.lparchiver.deliver.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.graph.GraphHttp.GraphRequest;
import io.lparchiver.deliver.graph.GraphHttp.GraphResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The handful of Graph calls lp-archiver makes, typed; all traffic goes through {@link GraphHttp}.
 */
final class GraphApi {

  static final String MAIL_RW = "Mail.ReadWrite";
  static final String USER_READ = "User.Read.All";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PAGES = 100;

  /** Graph's largest page of messages ({@code $top} 1 to 1,000). */
  static final int MAX_TOP = 1000;

  /** Exchange keeps at most 1,000,000 items in a folder: 1,000 full pages, with room to spare. */
  private static final int MAX_FOLDER_PAGES = 2 * 1_000_000 / MAX_TOP;

  private static final int CHUNK_ATTEMPTS = 5;

  /** Key under which {@link Found#properties()} carries the item's internetMessageId. */
  static final String INTERNET_MESSAGE_ID = "internetMessageId";

  /** A message found by a property filter, with the properties that were expanded. */
  record Found(String id, Map<String, String> properties) {}

  /** An attachment of a message. */
  record AttachmentInfo(String id, String name, long size) {}

  private final GraphSettings settings;
  private final GraphHttp http;

  GraphApi(GraphSettings settings, GraphHttp http) {
    this.settings = settings;
    this.http = http;
  }

  // --- users -----------------------------------------------------------------------------

  Optional<JsonNode> user(String idOrUpn) throws DeliveryException {
    try {
      return Optional.of(
          get(
              "",
              USER_READ,
              "look up user",
              url(
                  "/users/" + seg(idOrUpn),
                  Map.of("$select", "id,mail,userPrincipalName,proxyAddresses"))));
    } catch (GraphCallException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  List<JsonNode> usersByProxyAddress(String address) throws DeliveryException {
    String filter = "proxyAddresses/any(x:x eq '" + quote("smtp:" + address) + "')";
    return list(
        "",
        USER_READ,
        "find user by proxy address",
        url(
            "/users",
            Map.of("$filter", filter, "$select", "id,mail,userPrincipalName,proxyAddresses")));
  }

  // --- folders ---------------------------------------------------------------------------

  /** A mail folder and how many items it holds ({@code totalItemCount}). */
  record Folder(String id, long itemCount) {}

  Optional<Folder> findChildFolder(String user, String parent, String name)
      throws DeliveryException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("$filter", "displayName eq '" + quote(name) + "'");
    q.put("includeHiddenFolders", "true");
    List<JsonNode> hits =
        list(user, MAIL_RW, "find folder", url(folders(user, parent) + "/childFolders", q));
    return hits.stream()
        .map(f -> new Folder(f.path("id").asText(), f.path("totalItemCount").asLong(0)))
        .findFirst();
  }

  String createChildFolder(String user, String parent, String name) throws DeliveryException {
    ObjectNode body = JSON.createObjectNode().put("displayName", name).put("isHidden", false);
    return send(
            "POST",
            user,
            url(folders(user, parent) + "/childFolders", Map.of()),
            bytes(body),
            false,
            "create folder")
        .path("id")
        .asText();
  }

  // --- messages --------------------------------------------------------------------------

  String createMessage(String user, String folderId, byte[] json) throws DeliveryException {
    return send(
            "POST",
            user,
            url(folders(user, folderId) + "/messages", Map.of()),
            json,
            false,
            "create message")
        .path("id")
        .asText();
  }

  /** Messages in a folder whose extended property equals value, with some properties expanded. */
  List<Found> findByProperty(
      String user, String folderId, String propertyId, String value, List<String> expand)
      throws DeliveryException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put(
        "$filter",
        "singleValueExtendedProperties/Any(ep: ep/id eq '"
            + quote(propertyId)
            + "' and ep/value eq '"
            + quote(value)
            + "')");
    q.put("$select", "id");
    q.put(
        "$expand",
        "singleValueExtendedProperties($filter="
            + expand.stream()
                .map(id -> "id eq '" + quote(id) + "'")
                .collect(Collectors.joining(" or "))
            + ")");
    List<Found> found = new ArrayList<>();
    for (JsonNode m :
        list(user, MAIL_RW, "find message", url(folders(user, folderId) + "/messages", q))) {
      Map<String, String> props = new HashMap<>();
      for (JsonNode p : m.path("singleValueExtendedProperties")) {
        props.put(p.path("id").asText(), p.path("value").asText());
      }
      found.add(new Found(m.path("id").asText(), props));
    }
    return found;
  }

  /** One message with some extended properties expanded; empty when it does not exist. */
  Optional<Found> message(String user, String messageId, List<String> expand)
      throws DeliveryException {
    try {
      JsonNode m =
          get(
              user,
              MAIL_RW,
              "read message",
              url(
                  message(user, messageId),
                  Map.of("$select", "id,internetMessageId", "$expand", expandFilter(expand))));
      return Optional.of(found(m));
    } catch (GraphCallException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A message's body as Graph returns it: {@code {"contentType", "content"}}. */
  JsonNode body(String user, String messageId) throws DeliveryException {
    return get(
            user,
            MAIL_RW,
            "read message body",
            url(message(user, messageId), Map.of("$select", "body")))
        .path("body");
  }

  /** Every message of a folder, with some extended properties expanded. */
  List<Found> messages(String user, String folderId, List<String> expand) throws DeliveryException {
    List<Found> found = new ArrayList<>();
    forEachMessage(user, folderId, MAX_TOP, "id,internetMessageId", expand, found::add);
    return found;
  }

  /**
   * Every message of a folder, page by page ({@code $top} up to Graph's maximum of 1,000, only the
   * {@code $select}ed fields and the expanded properties), handed to {@code each} without keeping
   * the folder in memory: an archive folder may hold up to Exchange's 1,000,000 items.
   */
  void forEachMessage(
      String user,
      String folderId,
      int pageSize,
      String select,
      List<String> expand,
      Consumer<Found> each)
      throws DeliveryException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("$select", select);
    q.put("$expand", expandFilter(expand));
    q.put("$top", Integer.toString(pageSize));
    forEach(
        user,
        MAIL_RW,
        "list messages",
        url(folders(user, folderId) + "/messages", q),
        MAX_FOLDER_PAGES,
        m -> each.accept(found(m)));
  }

  /** The raw bytes of a file attachment ({@code $value}). */
  byte[] attachmentContent(String user, String messageId, String attachmentId)
      throws DeliveryException {
    return call(new GraphRequest(
            "GET",
            url(
                message(user, messageId) + "/attachments/" + seg(attachmentId) + "/$value",
                Map.of()),
            null,
            "",
            Map.of(),
            user,
            true,
            true,
            MAIL_RW,
            "read attachment"))
        .body();
  }

  private static String expandFilter(List<String> ids) {
    return "singleValueExtendedProperties($filter="
        + ids.stream().map(id -> "id eq '" + quote(id) + "'").collect(Collectors.joining(" or "))
        + ")";
  }

  private static Found found(JsonNode m) {
    Map<String, String> props = new HashMap<>();
    for (JsonNode p : m.path("singleValueExtendedProperties")) {
      props.put(p.path("id").asText(), p.path("value").asText());
    }
    String internetId = m.path("internetMessageId").asText("");
    if (!internetId.isEmpty()) {
      props.putIfAbsent(INTERNET_MESSAGE_ID, internetId);
    }
    return new Found(m.path("id").asText(), props);
  }

  List<AttachmentInfo> attachments(String user, String messageId) throws DeliveryException {
    List<AttachmentInfo> out = new ArrayList<>();
    for (JsonNode a :
        list(
            user,
            MAIL_RW,
            "list attachments",
            url(message(user, messageId) + "/attachments", Map.of("$select", "id,name,size")))) {
      out.add(
          new AttachmentInfo(
              a.path("id").asText(), a.path("name").asText(), a.path("size").asLong()));
    }
    return out;
  }

  void deleteMessage(String user, String messageId) throws DeliveryException {
    try {
      call(
          new GraphRequest(
              "DELETE",
              url(message(user, messageId), Map.of()),
              null,
              "",
              Map.of(),
              user,
              true,
              true,
              MAIL_RW,
              "delete message"));
    } catch (GraphCallException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  void addAttachment(String user, String messageId, byte[] json) throws DeliveryException {
    send(
        "POST",
        user,
        url(message(user, messageId) + "/attachments", Map.of()),
        json,
        false,
        "add attachment");
  }

  URI createUploadSession(String user, String messageId, String name, long size, String contentType)
      throws DeliveryException {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("AttachmentItem")
        .put("attachmentType", "file")
        .put("name", name)
        .put("size", size)
        .put("contentType", contentType);
    JsonNode session =
        send(
            "POST",
            user,
            url(message(user, messageId) + "/attachments/createUploadSession", Map.of()),
            bytes(body),
            false,
            "create upload session");
    return URI.create(session.path("uploadUrl").asText());
  }

  /**
   * PUTs one chunk to a pre-authenticated upload URL (no Authorization header). When the reply is
   * lost, the session's {@code nextExpectedRanges} says whether the chunk arrived.
   */
  void uploadChunk(String user, URI uploadUrl, byte[] chunk, long start, long total)
      throws DeliveryException {
    long end = start + chunk.length - 1;
    GraphRequest put =
        new GraphRequest(
            "PUT",
            uploadUrl,
            chunk,
            "application/octet-stream",
            Map.of("Content-Range", "bytes " + start + "-" + end + "/" + total),
            user,
            false,
            false,
            MAIL_RW,
            "upload attachment chunk");
    for (int attempt = 1; ; attempt++) {
      try {
        http.send(put);
        return;
      } catch (GraphCallException e) {
        if (!e.ambiguous() || attempt >= CHUNK_ATTEMPTS) {
          throw e;
        }
        JdkGraphHttp.pause(
            e.retryAfter().isZero() ? Duration.ofMillis(200L * attempt) : e.retryAfter());
        long next = nextExpected(user, uploadUrl);
        if (next == end + 1) {
          return;
        }
        if (next != start) {
          throw new DeliveryException(
              "upload session lost its place (expects " + next + ", chunk starts at " + start + ")",
              true,
              e);
        }
      }
    }
  }

  private long nextExpected(String user, URI uploadUrl) throws DeliveryException {
    JsonNode status =
        json(
            call(
                new GraphRequest(
                    "GET",
                    uploadUrl,
                    null,
                    "",
                    Map.of(),
                    user,
                    false,
                    true,
                    MAIL_RW,
                    "read upload session")));
    String range = status.path("nextExpectedRanges").path(0).asText("");
    int dash = range.indexOf('-');
    try {
      return Long.parseLong(dash < 0 ? range : range.substring(0, dash));
    } catch (NumberFormatException e) {
      throw new DeliveryException("upload session answered no next range", true, e);
    }
  }

  void cancelUpload(String user, URI uploadUrl) {
    try {
      call(
          new GraphRequest(
              "DELETE",
              uploadUrl,
              null,
              "",
              Map.of(),
              user,
              false,
              true,
              MAIL_RW,
              "cancel upload session"));
    } catch (DeliveryException e) {
      // the session expires on its own
    }
  }

  // --- plumbing --------------------------------------------------------------------------

  private JsonNode send(
      String method, String user, URI uri, byte[] body, boolean idempotent, String what)
      throws DeliveryException {
    return json(
        call(
            new GraphRequest(
                method,
                uri,
                body,
                "application/json",
                Map.of(),
                user,
                true,
                idempotent,
                MAIL_RW,
                what)));
  }

  private JsonNode get(String mailbox, String permission, String what, URI uri)
      throws DeliveryException {
    return json(
        call(
            new GraphRequest(
                "GET", uri, null, "", Map.of(), mailbox, true, true, permission, what)));
  }

  /** All pages of a collection, following {@code @odata.nextLink} on the same host only. */
  private List<JsonNode> list(String mailbox, String permission, String what, URI first)
      throws DeliveryException {
    List<JsonNode> items = new ArrayList<>();
    forEach(mailbox, permission, what, first, MAX_PAGES, items::add);
    return items;
  }

  private void forEach(
      String mailbox,
      String permission,
      String what,
      URI first,
      int maxPages,
      Consumer<JsonNode> each)
      throws DeliveryException {
    URI next = first;
    for (int page = 0; next != null; page++) {
      if (page >= maxPages) {
        throw new DeliveryException(what + ": more than " + maxPages + " pages", false);
      }
      JsonNode body = get(mailbox, permission, what, next);
      body.path("value").forEach(each);
      String link = body.path("@odata.nextLink").asText("");
      next = link.isEmpty() ? null : sameOrigin(URI.create(link));
    }
  }

  private URI sameOrigin(URI link) throws DeliveryException {
    if (!link.getRawAuthority().equalsIgnoreCase(settings.baseUrl().getRawAuthority())) {
      throw new DeliveryException(
          "Graph sent a next link to another host; not following it with our token", false);
    }
    return link;
  }

  private GraphResponse call(GraphRequest r) throws DeliveryException {
    return http.send(r);
  }

  private static JsonNode json(GraphResponse r) throws DeliveryException {
    if (r.body().length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new DeliveryException("Graph answered with invalid JSON", true, e);
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String folders(String user, String folder) {
    return "/users/" + seg(user) + "/mailFolders/" + seg(folder);
  }

  private String message(String user, String messageId) {
    return "/users/" + seg(user) + "/messages/" + seg(messageId);
  }

  private URI url(String path, Map<String, String> query) {
    String q =
        query.entrySet().stream()
            .map(e -> e.getKey() + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return URI.create(settings.baseUrl() + path + (q.isEmpty() ? "" : "?" + q));
  }

  private static String seg(String s) {
    return enc(s);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** OData string literal: a quote inside is doubled. */
  static String quote(String s) {
    return s.replace("'", "''");
  }
}
