package io.lparchiver.deliver.imap;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * One logged-in IMAP connection for one login, with what the server told us once: its hierarchy
 * separator and its APPENDLIMIT. Used by one thread at a time (the pool hands it out).
 */
final class ImapConnection implements AutoCloseable {

  private final IMAPStore store;
  private final char separator;
  private final Optional<Long> appendLimit;

  private ImapConnection(IMAPStore store, char separator, Optional<Long> appendLimit) {
    this.store = store;
    this.separator = separator;
    this.appendLimit = appendLimit;
  }

  static ImapConnection open(IMAPStore store, String login, String password)
      throws MessagingException {
    store.connect(login, password);
    try {
      Folder inbox = store.getFolder("INBOX");
      char separator = inbox.getSeparator();
      IMAPFolder root = (IMAPFolder) store.getDefaultFolder();
      @SuppressWarnings("unchecked")
      Map<String, String> caps = (Map<String, String>) root.doCommand(p -> p.getCapabilities());
      return new ImapConnection(store, separator, appendLimit(caps));
    } catch (MessagingException | RuntimeException e) {
      closeQuietly(store);
      throw e;
    }
  }

  /** RFC 7889: {@code APPENDLIMIT=<n>} is a server-wide limit; without a value it varies. */
  static Optional<Long> appendLimit(Map<String, String> capabilities) {
    for (String cap : capabilities.keySet()) {
      String upper = cap.toUpperCase(Locale.ROOT);
      if (upper.startsWith("APPENDLIMIT=")) {
        try {
          return Optional.of(Long.parseLong(upper.substring("APPENDLIMIT=".length())));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  IMAPStore store() {
    return store;
  }

  char separator() {
    return separator;
  }

  Optional<Long> appendLimit() {
    return appendLimit;
  }

  /** Whether a message of {@code bytes} is over the server's APPENDLIMIT. */
  boolean overAppendLimit(long bytes) {
    return appendLimit.isPresent() && bytes > appendLimit.get();
  }

  IMAPFolder folder(String path) throws MessagingException {
    return (IMAPFolder) store.getFolder(path);
  }

  /** A NOOP round trip: false when the server closed an idle connection. */
  boolean isAlive() {
    return store.isConnected();
  }

  @Override
  public void close() {
    closeQuietly(store);
  }

  private static void closeQuietly(IMAPStore store) {
    try {
      store.close();
    } catch (MessagingException e) {
      // closing a broken connection: nothing left to release
    }
  }
}
