package io.lparchiver.mapping;

import io.lparchiver.model.AgentUser;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Remembers every answer of another directory, misses included, for one run: a conversation's
 * agents recur in thousands of conversations. Thread-safe; two threads may ask the delegate for the
 * same id once each, which is cheaper than holding a lock over a remote call.
 */
public final class CachingUserDirectory implements UserDirectory {

  private final UserDirectory delegate;
  private final ConcurrentMap<String, Optional<AgentUser>> answers = new ConcurrentHashMap<>();

  public CachingUserDirectory(UserDirectory delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<AgentUser> find(String idPidOrLogin) {
    Optional<AgentUser> known = answers.get(idPidOrLogin);
    if (known != null) {
      return known;
    }
    Optional<AgentUser> answer = delegate.find(idPidOrLogin);
    Optional<AgentUser> raced = answers.putIfAbsent(idPidOrLogin, answer);
    return raced == null ? answer : raced;
  }
}
