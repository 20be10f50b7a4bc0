package io.lparchiver.sim.liveperson;

/**
 * One request as the simulator saw it, for test assertions.
 *
 * @param method HTTP method
 * @param path raw request path
 * @param query raw query string, or "" when absent
 * @param status status code sent (200 for a dropped connection, whose headers went out)
 */
public record RecordedRequest(String method, String path, String query, int status) {}
