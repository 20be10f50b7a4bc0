/**
 * Delivery into Microsoft 365 mailboxes through Microsoft Graph (reference/microsoft365-target.md
 * sections 1-6): each archive email is converted from its MIME into Graph's JSON message form with
 * the MAPI flags of a received, read item, created in the Inbox child folder, stamped with a named
 * extended property for idempotency, with large attachments sent through upload sessions.
 * Hand-written on java.net.http and Jackson: no Graph SDK, no MSAL (see docs/microsoft365.md).
 */
package io.lparchiver.deliver.graph;
