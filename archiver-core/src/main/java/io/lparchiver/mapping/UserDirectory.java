package io.lparchiver.mapping;

import io.lparchiver.model.AgentUser;
import java.util.Optional;

/**
 * LivePerson's user directory: resolves an agent or bot id, pid or login name to the user.
 * Implemented over the Users API (wired by the application); implementations cache.
 */
@FunctionalInterface
public interface UserDirectory {

  Optional<AgentUser> find(String idPidOrLogin);

  static UserDirectory empty() {
    return id -> Optional.empty();
  }
}
