/** Process-wide Jakarta Mail set-up shared by the renderer and the mail-based targets. */
package io.lparchiver.mail;
