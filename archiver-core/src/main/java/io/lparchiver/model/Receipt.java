package io.lparchiver.model;

/**
 * What a target says about one delivered copy.
 *
 * @param mailbox where the copy is
 * @param key which conversation version
 * @param targetItemId the target's own id (Maildir file name, IMAP UID, Graph id, SMTP queue id)
 * @param alreadyPresent true when the copy was found on the target rather than written now
 */
public record Receipt(
    Mailbox mailbox, MessageKey key, String targetItemId, boolean alreadyPresent) {}
