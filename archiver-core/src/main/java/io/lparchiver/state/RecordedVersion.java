package io.lparchiver.state;

/**
 * The version a record maps to, and whether this call recorded it: a version recorded just now has
 * no ledger rows yet (a row needs its version first), so the lanes need not ask the ledger about
 * its copies.
 *
 * @param version the version, new or the latest one with this fingerprint
 * @param isNew whether the call inserted it
 */
public record RecordedVersion(ConversationVersion version, boolean isNew) {}
