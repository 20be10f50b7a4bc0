/**
 * The overflow stage: parts of an email that a target cannot take (over IMAP APPENDLIMIT, SMTP
 * SIZE, Graph's per-attachment cap) are stored content-addressed under {@code archive.overflowDir}
 * and replaced in the email by a stub naming the stored file, so nothing is dropped and the ledger
 * can say {@code externalised} rather than {@code partial}.
 */
package io.lparchiver.overflow;
