package io.lparchiver.model;

import java.util.Optional;

/**
 * A LivePerson user (agent, bot or system user) from the Users API.
 *
 * @param id numeric user id
 * @param pid the user's unique pid (UUID)
 * @param loginName login name
 * @param nickname nickname shown to consumers
 * @param email email in the user profile, if any
 * @param userTypeId 0 system, 1 human, 2 bot
 * @param deleted whether the user was deleted in LivePerson
 */
public record AgentUser(
    String id,
    String pid,
    String loginName,
    String nickname,
    Optional<String> email,
    int userTypeId,
    boolean deleted) {}
