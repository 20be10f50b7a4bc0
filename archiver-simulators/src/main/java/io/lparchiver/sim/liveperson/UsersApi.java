package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Users API v4 (reference section 5): whole list, no paging, revision headers, 304. */
final class UsersApi {
  private final SeededDataSet data;

  UsersApi(SeededDataSet data) {
    this.data = data;
  }

  SimResponse list(SimRequest req) throws ApiException {
    requireVersion(req);
    String revision = data.usersRevision();
    Map<String, String> headers = Map.of("ac-revision", revision, "ETag", revision);
    String ifMatch = req.header("if-match").map(UsersApi::unquote).orElse(null);
    if (revision.equals(ifMatch)) { // "-1" never equals a revision: always the full list
      return SimResponse.notModified(headers);
    }
    boolean includeDeleted = req.param("include_deleted").map("true"::equals).orElse(false);
    ArrayNode users = SimResponse.JSON.createArrayNode();
    for (ObjectNode u : data.users()) {
      if (includeDeleted || !u.get("deleted").asBoolean()) {
        users.add(u);
      }
    }
    return SimResponse.json(200, users, headers);
  }

  SimResponse one(SimRequest req) throws ApiException {
    requireVersion(req);
    String id = req.pathParam(1);
    for (ObjectNode u : data.users()) {
      if (u.get("id").asText().equals(id)) {
        String revision = data.usersRevision();
        return SimResponse.json(200, u, Map.of("ac-revision", revision, "ETag", revision));
      }
    }
    throw new ApiException(404, "user " + id + " not found");
  }

  /** The API defaults to 2.0 when v is missing; the simulator insists, as the docs advise. */
  private static void requireVersion(SimRequest req) throws ApiException {
    String v = req.param("v").orElse(null);
    if (v == null) {
      throw new ApiException(400, "missing query parameter v (use v=4.0)");
    }
    if (!"4.0".equals(v)) {
      throw new ApiException(400, "unsupported version v=" + v + " (use v=4.0)");
    }
  }

  private static String unquote(String value) {
    String v = value.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1)
        : v;
  }
}
