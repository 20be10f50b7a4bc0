package io.lparchiver.sim.liveperson;

/**
 * One request as the simulator saw it, for test assertions.
 *
 * @param method HTTP method
 * @param path raw request path
 * @param query raw query string, or "" when absent
 * @param status status code sent (200 for a dropped connection, whose headers went out)
 * @param searchCriteria the JSON body of a search request (the windows asked for); "" for every
 *     other request, whose body may hold a secret
 */
public record RecordedRequest(
    String method, String path, String query, int status, String searchCriteria) {

  public RecordedRequest(String method, String path, String query, int status) {
    this(method, path, query, status, "");
  }
}
