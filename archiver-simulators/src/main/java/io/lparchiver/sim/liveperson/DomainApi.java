package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * CSDS / Domain API: every service lives on this one server except the messaging websocket. No
 * auth, as in production.
 */
final class DomainApi {
  static final List<String> SERVICES =
      List.of(
          "msgHist",
          "engHistDomain",
          "accountConfigReadOnly",
          "accountConfigReadWrite",
          "agentVep",
          "asyncMessagingEnt",
          "swift");

  private final String account;
  private final String baseUri;
  private final Map<String, String> elsewhere;

  /**
   * @param baseUri host:port without scheme, as the real Domain API returns a host
   * @param elsewhere services served on another host:port (the messaging websocket)
   */
  DomainApi(String account, String baseUri, Map<String, String> elsewhere) {
    this.account = account;
    this.baseUri = baseUri;
    this.elsewhere = Map.copyOf(elsewhere);
  }

  SimResponse one(SimRequest req) throws ApiException {
    checkAccount(req.pathParam(0));
    String service = req.pathParam(1);
    if (!SERVICES.contains(service)) { // names are case-sensitive
      throw new ApiException(404, "unknown service " + service + " for account " + account);
    }
    return SimResponse.json(200, entry(service));
  }

  SimResponse all(SimRequest req) throws ApiException {
    checkAccount(req.pathParam(0));
    ObjectNode body = SimResponse.JSON.createObjectNode();
    ArrayNode list = body.putArray("baseURIs");
    SERVICES.forEach(s -> list.add(entry(s)));
    return SimResponse.json(200, body);
  }

  private void checkAccount(String requested) throws ApiException {
    if (!account.equals(requested)) {
      throw new ApiException(404, "account " + requested + " not found");
    }
  }

  private ObjectNode entry(String service) {
    ObjectNode n = SimResponse.JSON.createObjectNode();
    n.put("service", service);
    n.put("account", account);
    n.put("baseURI", elsewhere.getOrDefault(service, baseUri));
    return n;
  }
}
