package io.lparchiver.deliver.maildir;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * IMAP modified UTF-7 (RFC 3501 section 5.1.3). Dovecot stores Maildir++ folder names on disk in
 * this form unless {@code mail_location} says UTF-8, so a non-ASCII folder name must be encoded the
 * same way or Dovecot shows a different (mangled) folder.
 */
final class ModifiedUtf7 {

  private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

  private ModifiedUtf7() {}

  static String encode(String name) {
    StringBuilder out = new StringBuilder(name.length());
    int i = 0;
    while (i < name.length()) {
      char c = name.charAt(i);
      if (c == '&') {
        out.append("&-");
        i++;
      } else if (c >= 0x20 && c <= 0x7e) {
        out.append(c);
        i++;
      } else {
        int end = i;
        while (end < name.length() && (name.charAt(end) < 0x20 || name.charAt(end) > 0x7e)) {
          end++;
        }
        byte[] utf16 = name.substring(i, end).getBytes(StandardCharsets.UTF_16BE);
        out.append('&').append(BASE64.encodeToString(utf16).replace('/', ',')).append('-');
        i = end;
      }
    }
    return out.toString();
  }
}
