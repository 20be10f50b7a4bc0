package io.lparchiver.deliver.smtp;

import io.lparchiver.model.ArchiveEmail;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * The archive email for SMTP DATA: streams the rendered bytes unchanged (a parsed message may
 * rewrite headers) and never holds a large email in memory. An SMTPMessage so the envelope sender
 * and the BODY=8BITMIME extension can be set per message.
 */
final class RawSmtpMessage extends SMTPMessage {

  private final ArchiveEmail email;

  RawSmtpMessage(Session session, ArchiveEmail email) {
    super(session);
    this.email = email;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    try (InputStream in = email.open()) {
      in.transferTo(out);
    }
  }

  @Override
  public void writeTo(OutputStream out, String[] ignoreList) throws IOException {
    writeTo(out); // the renderer writes no Bcc; every other header goes out as rendered
  }

  @Override
  public int getSize() {
    return (int) Math.min(Integer.MAX_VALUE, email.size());
  }
}
