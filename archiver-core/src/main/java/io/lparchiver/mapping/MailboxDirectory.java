package io.lparchiver.mapping;

import io.lparchiver.model.Mailbox;

/**
 * Knows which addresses have a mailbox in the target. For Maildir every valid address does; for
 * Microsoft 365 the tenant answers; for IMAP the configuration does.
 */
@FunctionalInterface
public interface MailboxDirectory {

  boolean exists(Mailbox mailbox);

  static MailboxDirectory any() {
    return mailbox -> true;
  }
}
