package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.model.AgentUser;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LivePerson users (agents, bots, system users) from the Users API, deleted ones included so
 * departed agents still resolve. The whole list is loaded once (the API has no paging) and kept;
 * {@link #refresh()} asks again with {@code If-Match: <revision>} and keeps the list on 304.
 *
 * <p>{@link #find(String)} matches the mapping stage's {@code UserDirectory}, so the application
 * wires it as {@code usersApiClient::find}. Thread-safe: lookups read an immutable snapshot.
 */
public final class UsersApiClient {

  private static final Logger LOG = LoggerFactory.getLogger(UsersApiClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "accountConfigReadOnly";

  private final String account;
  private final DomainApi domainApi;
  private final LivePersonHttp http;
  private volatile Snapshot snapshot;

  public UsersApiClient(String account, DomainApi domainApi, LivePersonHttp http) {
    this.account = Accounts.requireValid(account);
    this.domainApi = domainApi;
    this.http = http;
  }

  /** The users, loaded on first use. */
  public List<AgentUser> users() {
    return current().users();
  }

  /** Loads the list again; an unchanged list (304) keeps the cached one. */
  public synchronized List<AgentUser> refresh() {
    Snapshot previous = snapshot;
    Map<String, String> headers =
        previous == null || previous.revision().isEmpty()
            ? Map.of()
            : Map.of("If-Match", previous.revision().get());
    URI uri =
        domainApi
            .baseUri(SERVICE)
            .resolve(
                "/api/account/"
                    + account
                    + "/configuration/le-users/users?v=4.0&include_deleted=true");
    snapshot = http.get(LivePersonApi.USERS, uri, headers, r -> read(r, previous));
    return snapshot.users();
  }

  /** A user by id, pid, {@code account.id} or login name (case-insensitive). */
  public Optional<AgentUser> find(String idPidOrLogin) {
    if (idPidOrLogin == null || idPidOrLogin.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(current().index().get(key(idPidOrLogin)));
  }

  private Snapshot current() {
    Snapshot loaded = snapshot;
    if (loaded != null) {
      return loaded;
    }
    synchronized (this) {
      if (snapshot == null) {
        refresh();
      }
      return snapshot;
    }
  }

  private Snapshot read(LivePersonHttp.Response response, Snapshot previous)
      throws IncompleteResponseException {
    if (response.status() == 304 && previous != null) {
      LOG.debug("Users API: unchanged since revision {}", previous.revision().orElse("?"));
      return previous;
    }
    JsonNode array;
    try {
      array = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IncompleteResponseException("Users API answer is not complete JSON", e);
    }
    if (array == null || !array.isArray()) {
      throw new IncompleteResponseException("Users API answer is not a JSON array");
    }
    List<AgentUser> users = new ArrayList<>();
    array.forEach(node -> toUser(node).ifPresent(users::add));
    Optional<String> revision =
        response.header("ac-revision").or(() -> response.header("ETag")).map(String::strip);
    LOG.info("Users API: {} users (revision {})", users.size(), revision.orElse("none"));
    return new Snapshot(List.copyOf(users), index(users), revision);
  }

  private static Optional<AgentUser> toUser(JsonNode node) {
    Optional<String> id = Fields.text(node, "id");
    if (id.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AgentUser(
            id.get(),
            Fields.text(node, "pid").orElse(""),
            Fields.text(node, "loginName").orElse(""),
            Fields.text(node, "nickname").orElse(""),
            Fields.text(node, "email").filter(e -> e.contains("@")),
            (int) Fields.number(node, "userTypeId").orElse(1),
            Fields.flag(node, "deleted")));
  }

  /** Live users win over deleted ones that share a login name. */
  private Map<String, AgentUser> index(List<AgentUser> users) {
    Map<String, AgentUser> index = new HashMap<>();
    for (AgentUser user : users) {
      for (String alias :
          List.of(user.id(), user.pid(), account + "." + user.id(), user.loginName())) {
        if (!alias.isBlank()) {
          index.merge(key(alias), user, (a, b) -> a.deleted() && !b.deleted() ? b : a);
        }
      }
    }
    return Map.copyOf(index);
  }

  private static String key(String alias) {
    return alias.strip().toLowerCase(Locale.ROOT);
  }

  private record Snapshot(
      List<AgentUser> users, Map<String, AgentUser> index, Optional<String> revision) {}

  @Override
  public String toString() {
    return "UsersApiClient[account " + account + "]";
  }
}
