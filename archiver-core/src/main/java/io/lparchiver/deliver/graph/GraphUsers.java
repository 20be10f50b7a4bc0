package io.lparchiver.deliver.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.model.Mailbox;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which addresses are Microsoft 365 users, and their object ids: {@code GET /users/{address}} (the
 * address as UPN), then the proxy addresses ({@code smtp:} aliases). Results, including "no such
 * user", are cached for the life of the instance (one run). Thread-safe.
 *
 * <p>Used as the mapping stage's mailbox directory (wired as a method reference, since stages do
 * not import each other) and by the sink to address the mailbox by object id.
 */
public final class GraphUsers {

  private final GraphApi api;
  private final Map<Mailbox, Optional<String>> ids = new ConcurrentHashMap<>();

  GraphUsers(GraphApi api) {
    this.api = api;
  }

  /**
   * Whether the address belongs to a user of the tenant. Failures are unchecked here because the
   * directory port cannot throw: a missing User.Read.All must stop the run, not unmap everyone.
   */
  public boolean exists(Mailbox mailbox) {
    try {
      return userId(mailbox).isPresent();
    } catch (DeliveryException e) {
      throw new GraphDirectoryException(e.getMessage(), e);
    }
  }

  /** The user's object id, empty when no user has this address. */
  public Optional<String> userId(Mailbox mailbox) throws DeliveryException {
    Optional<String> cached = ids.get(mailbox);
    if (cached != null) {
      return cached;
    }
    Optional<String> id = lookup(mailbox);
    ids.put(mailbox, id);
    return id;
  }

  private Optional<String> lookup(Mailbox mailbox) throws DeliveryException {
    Optional<JsonNode> byUpn = api.user(mailbox.address());
    if (byUpn.isPresent()) {
      return Optional.of(byUpn.get().path("id").asText());
    }
    List<JsonNode> byProxy = api.usersByProxyAddress(mailbox.address());
    return byProxy.stream().map(u -> u.path("id").asText()).filter(s -> !s.isEmpty()).findFirst();
  }

  /** A directory lookup failed (permission, network): the run cannot map participants. */
  public static final class GraphDirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GraphDirectoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
