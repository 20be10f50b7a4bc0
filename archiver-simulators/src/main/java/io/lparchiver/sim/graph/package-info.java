/**
 * A Microsoft Graph simulator (Entra ID token endpoint, users, mail folders, messages, attachments,
 * upload sessions) on 127.0.0.1 with the validation, throttling and faults of the real service as
 * described in reference/microsoft365-target.md sections 1-6 and 11.
 */
package io.lparchiver.sim.graph;
