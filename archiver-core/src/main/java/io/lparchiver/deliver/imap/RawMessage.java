package io.lparchiver.deliver.imap;

import io.lparchiver.model.ArchiveEmail;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Date;

/**
 * The archive email as a Jakarta Mail message for APPEND: {@link #writeTo} streams the rendered
 * bytes unchanged (a parsed MimeMessage may rewrite headers), so the stored copy is byte-identical
 * and a large email is never held in memory. Carries the {@code \Seen} flag and the conversation
 * start as the internal date.
 */
final class RawMessage extends MimeMessage {

  private final ArchiveEmail email;
  private final Date internalDate;

  RawMessage(Session session, ArchiveEmail email, Date internalDate) throws MessagingException {
    super(session);
    this.email = email;
    this.internalDate = internalDate == null ? null : new Date(internalDate.getTime());
    setFlags(new Flags(Flags.Flag.SEEN), true);
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    try (InputStream in = email.open()) {
      in.transferTo(out);
    }
  }

  @Override
  public void writeTo(OutputStream out, String[] ignoreList) throws IOException {
    writeTo(out);
  }

  @Override
  public int getSize() {
    return (int) Math.min(Integer.MAX_VALUE, email.size());
  }

  @Override
  public Date getReceivedDate() {
    return internalDate == null ? null : new Date(internalDate.getTime());
  }
}
