package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.source.SourceException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * LivePerson service discovery (CSDS): service name to base URL, e.g. {@code msgHist} to {@code
 * https://va.msghist.liveperson.net}. Hosts are regional, so they are never hard-coded. Each
 * service is looked up once and cached for the life of this object. Thread-safe.
 */
public final class DomainApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  // host or host:port, as the Domain API returns it (no scheme, no path)
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?");

  private final URI domainApi;
  private final String account;
  private final LivePersonHttp http;
  private final AllowedHosts allowedHosts;
  private final Map<String, URI> cache = new ConcurrentHashMap<>();

  /**
   * @param allowedHosts the only hosts a discovered service may live on (see {@link AllowedHosts})
   */
  public DomainApi(URI domainApi, String account, LivePersonHttp http, AllowedHosts allowedHosts) {
    this.domainApi = domainApi;
    this.account = Accounts.requireValid(account);
    this.http = http;
    this.allowedHosts = allowedHosts;
  }

  /** The base URL of a service (scheme and authority, no trailing slash). */
  public URI baseUri(String service) {
    return cache.computeIfAbsent(service, this::lookUp);
  }

  private URI lookUp(String service) {
    URI uri =
        domainApi.resolve(
            "/api/account/"
                + account
                + "/service/"
                + Rfc3986.encode(service)
                + "/baseURI.json?version=1.0");
    String host = http.get(LivePersonApi.DOMAIN, uri, Map.of(), r -> readBaseUri(r, service));
    URI base = URI.create(scheme() + "://" + host);
    if (base.getHost() == null || !allowedHosts.permits(base.getHost())) {
      // checked before any signed request goes there: the credentials never reach that host
      throw new SourceException(
          SourceException.Kind.AUTHENTICATION,
          "Domain API named host '"
              + (base.getHost() == null ? host : base.getHost())
              + "' for service "
              + service
              + ", which is not under source.liveperson.allowedHosts ("
              + allowedHosts
              + "); refusing to send credentials there. Check source.liveperson.domainApi, or add"
              + " the host to source.liveperson.allowedHosts if it really is LivePerson's");
    }
    return base;
  }

  private static String readBaseUri(LivePersonHttp.Response response, String service)
      throws IncompleteResponseException {
    JsonNode node;
    try {
      node = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IncompleteResponseException("Domain API answer is not JSON", e);
    }
    String baseUri = node == null ? "" : node.path("baseURI").asText("").strip();
    if (baseUri.contains("://")) {
      baseUri = URI.create(baseUri).getRawAuthority(); // tolerate a scheme LivePerson never sends
    }
    if (!HOST_PORT.matcher(baseUri).matches()) {
      throw new SourceException(
          SourceException.Kind.NOT_FOUND,
          "Domain API returned no usable baseURI for service "
              + service
              + ": '"
              + baseUri
              + "'; check source.liveperson.account and source.liveperson.domainApi");
    }
    return baseUri;
  }

  /** https for real hosts; a simulator on loopback keeps the Domain API's own scheme. */
  private String scheme() {
    return isLoopback(domainApi.getHost())
        ? domainApi.getScheme().toLowerCase(Locale.ROOT)
        : "https";
  }

  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if ("localhost".equalsIgnoreCase(bare)) {
      return true;
    }
    if (!bare.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
      return false; // a name: never resolve it here, only literal addresses count
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "DomainApi[" + domainApi + ", account " + account + "]";
  }
}
