package io.lparchiver.source.liveperson;

import java.util.Objects;

/**
 * Plain values for downloading hosted files ({@code source.liveperson.files.*}): the LivePerson
 * user (agent or bot) whose Login Service bearer opens the messaging websocket that signs download
 * URLs. The user needs the "User Login" permission and access to every skill whose files are
 * archived.
 *
 * @param username the user's login name
 * @param password the user's password (never printed)
 */
public record FileDownloadSettings(String username, String password) {

  public FileDownloadSettings {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isBlank() || password.isEmpty()) {
      throw new IllegalArgumentException(
          "source.liveperson.files.login.username and .password are required to download files");
    }
  }

  @Override
  public String toString() {
    return "FileDownloadSettings[username=" + username + ", password=***]";
  }
}
