package io.lparchiver.source.liveperson;

/** The LivePerson APIs this client calls, with what an administrator must grant for each. */
public enum LivePersonApi {
  DOMAIN("Domain API", "none (the Domain API needs no permission)"),
  MESSAGING_INTERACTIONS("Messaging Interactions API", "Data → Engagement History"),
  ENGAGEMENT_HISTORY("Engagement History API", "Data → Engagement History"),
  USERS("Users API", "Administration → Users");

  private final String title;
  private final String permission;

  LivePersonApi(String title, String permission) {
    this.title = title;
    this.permission = permission;
  }

  /**
   * Whether a 302 means "Too many requests": Engagement History throttles that way (reference
   * section 4). The redirect is never followed, so credentials never go elsewhere.
   */
  public boolean throttlesWithRedirect() {
    return this == ENGAGEMENT_HISTORY;
  }

  public String title() {
    return title;
  }

  /** The app key permission category and name in LivePerson's key settings. */
  public String permission() {
    return permission;
  }
}
