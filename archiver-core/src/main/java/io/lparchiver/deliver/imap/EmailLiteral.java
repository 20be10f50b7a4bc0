package io.lparchiver.deliver.imap;

import io.lparchiver.model.ArchiveEmail;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.angus.mail.iap.Literal;

/**
 * The archive email as the literal of an APPEND: its bytes as rendered, streamed, so the stored
 * copy is byte-identical and a large email is never copied in memory. The renderer writes CRLF line
 * ends only (checked by {@code RenderPropertyTest}), which IMAP asks of a message, so no CRLF
 * filter is needed; Jakarta Mail's {@code appendMessages} would run one over every byte to measure
 * the message first.
 */
record EmailLiteral(ArchiveEmail email) implements Literal {

  @Override
  public int size() {
    return Math.toIntExact(email.size());
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    try (InputStream in = email.open()) {
      in.transferTo(out);
    }
  }
}
