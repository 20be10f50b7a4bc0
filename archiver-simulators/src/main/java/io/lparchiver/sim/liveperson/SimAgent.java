package io.lparchiver.sim.liveperson;

/**
 * An agent identity that appears in generated conversations, for tests that check mapping.
 *
 * @param id numeric LivePerson user id (as a string, as the APIs send it)
 * @param pid the user's unique pid (UUID)
 * @param loginName login name, deliberately different from the email
 * @param nickname display nickname
 * @param email mailbox address at {@code brand.example}
 * @param userTypeId 1 human, 2 bot
 * @param deleted deleted user: listed by the Users API only with {@code include_deleted=true}
 * @param inUsersApi false for the agent the Users API does not know at all
 * @param referencedByPid conversations carry this agent's pid, not its numeric id
 */
public record SimAgent(
    String id,
    String pid,
    String loginName,
    String nickname,
    String email,
    int userTypeId,
    boolean deleted,
    boolean inUsersApi,
    boolean referencedByPid) {

  /** The value conversations put in {@code agentId} / {@code participantId}. */
  public String reference() {
    return referencedByPid ? pid : id;
  }

  public boolean isBot() {
    return userTypeId == 2;
  }
}
