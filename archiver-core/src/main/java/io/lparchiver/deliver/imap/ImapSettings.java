package io.lparchiver.deliver.imap;

import io.lparchiver.deliver.ConnectionPool;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.model.Mailbox;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where and how the IMAP target connects.
 *
 * @param host server name
 * @param port server port
 * @param security TLS, STARTTLS or (loopback only) none
 * @param mode one login per mailbox, or one shared archive account with a folder per mailbox
 * @param username the login (shared mode) or the admin/master user ({@code {username}} in the
 *     template)
 * @param password the password of {@code username}; never printed
 * @param loginTemplate per-mailbox login, e.g. {@code {mailbox}*{username}} for a Dovecot master
 *     user
 * @param folder the archive folder under the Inbox
 * @param connectionsPerMailbox at most this many connections to one login at a time
 * @param maxIdleConnections idle connections kept open across all logins; older ones are closed.
 *     {@link ConnectionPool#IDLE_FOLLOWS_KEYS}: {@code connectionsPerMailbox} for every login used
 *     so far (bounded)
 * @param timeout connect, read and write timeout of every socket
 * @param oauth2 when present, log in with XOAUTH2 and a client-credentials token instead of the
 *     password
 * @param maxMessageSize largest message to APPEND ({@link Long#MAX_VALUE}: only the server's
 *     APPENDLIMIT counts); larger attachments are externalised
 */
public record ImapSettings(
    String host,
    int port,
    TransportSecurity security,
    Mode mode,
    String username,
    String password,
    String loginTemplate,
    String folder,
    int connectionsPerMailbox,
    int maxIdleConnections,
    Duration timeout,
    Optional<OAuth2> oauth2,
    long maxMessageSize) {

  /** Settings without a configured size limit (the server's APPENDLIMIT still applies). */
  public ImapSettings(
      String host,
      int port,
      TransportSecurity security,
      Mode mode,
      String username,
      String password,
      String loginTemplate,
      String folder,
      int connectionsPerMailbox,
      int maxIdleConnections,
      Duration timeout,
      Optional<OAuth2> oauth2) {
    this(
        host,
        port,
        security,
        mode,
        username,
        password,
        loginTemplate,
        folder,
        connectionsPerMailbox,
        maxIdleConnections,
        timeout,
        oauth2,
        Long.MAX_VALUE);
  }

  /**
   * An OAuth 2.0 client-credentials grant whose access token is the XOAUTH2 credential.
   *
   * @param tokenUrl the token endpoint
   * @param clientId the application (client) id
   * @param clientSecret the client secret; never printed
   * @param scope the scope to ask for, e.g. {@code https://outlook.office365.com/.default}
   */
  public record OAuth2(URI tokenUrl, String clientId, String clientSecret, Optional<String> scope) {
    @Override
    public String toString() {
      return "OAuth2[" + tokenUrl + ", client " + clientId + ", secret ****]";
    }
  }

  /** How mailboxes map to IMAP logins and folders. */
  public enum Mode {
    /** Log in as each mailbox (through a proxy or master user) and use its Inbox. */
    PER_MAILBOX,
    /** Log in once; each mailbox gets a subfolder of the archive folder. */
    SHARED;

    public static Mode parse(String text) {
      return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  public ImapSettings {
    if (mode == Mode.PER_MAILBOX && !loginTemplate.contains("{mailbox}")) {
      throw new IllegalArgumentException(
          "target.imap.loginTemplate must contain {mailbox} in per-mailbox mode: '"
              + loginTemplate
              + "'");
    }
    if (connectionsPerMailbox < 1
        || (maxIdleConnections < 0 && maxIdleConnections != ConnectionPool.IDLE_FOLLOWS_KEYS)) {
      throw new IllegalArgumentException("connection limits must be positive");
    }
    if (maxMessageSize < 1) {
      throw new IllegalArgumentException("target.imap.maxMessageSize must be positive");
    }
  }

  /** The login that reaches this mailbox's archive folder. */
  public String login(Mailbox mailbox) {
    return mode == Mode.SHARED
        ? username
        : loginTemplate.replace("{mailbox}", mailbox.address()).replace("{username}", username);
  }

  public String endpoint() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "ImapSettings["
        + endpoint()
        + ", "
        + security
        + ", "
        + mode
        + ", user "
        + username
        + ", password ****, folder "
        + folder
        + "]";
  }
}
