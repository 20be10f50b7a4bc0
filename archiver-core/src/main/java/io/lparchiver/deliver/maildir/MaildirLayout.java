package io.lparchiver.deliver.maildir;

import java.nio.file.Path;

/**
 * Where one mailbox's archive folder lives: {@code {root}/{address}/} is the mailbox's Maildir (its
 * Inbox), and the folder is the Maildir++ sub-folder {@code .INBOX.{folder}}, which Dovecot with
 * {@code mail_location = maildir:{root}/%u} lists as {@code INBOX.{folder}}, a child of INBOX.
 *
 * @param inbox the mailbox's Maildir root, also its INBOX
 * @param folder the archive folder's Maildir
 */
record MaildirLayout(Path inbox, Path folder) {

  static final String MAILDIRFOLDER_MARKER = "maildirfolder";

  /**
   * Resolves the layout, refusing any address that is not a single plain directory name under root:
   * {@code Mailbox} already forbids these, this keeps the guarantee local.
   */
  static MaildirLayout of(Path root, String address, String folderName) {
    if (address.isEmpty()
        || address.contains("/")
        || address.contains("\\")
        || address.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("mailbox address unusable as a directory: " + address);
    }
    Path normalRoot = root.toAbsolutePath().normalize();
    Path inbox = normalRoot.resolve(address).normalize();
    if (!normalRoot.equals(inbox.getParent())) {
      throw new IllegalArgumentException("mailbox address escapes the Maildir root: " + address);
    }
    return new MaildirLayout(inbox, inbox.resolve(".INBOX." + ModifiedUtf7.encode(folderName)));
  }

  Path folderTmp() {
    return folder.resolve("tmp");
  }

  Path folderNew() {
    return folder.resolve("new");
  }

  Path folderCur() {
    return folder.resolve("cur");
  }
}
