package io.lparchiver.render;

import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** An email read back with Jakarta Mail, as a mail client would. */
final class ParsedEmail {

  final MimeMessage message;
  final String text;
  final String html;
  final Map<String, byte[]> attachments = new LinkedHashMap<>();

  ParsedEmail(byte[] mime) throws MessagingException, IOException {
    message =
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mime));
    Multipart mixed = (Multipart) message.getContent();
    Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
    text = normalise((String) alternative.getBodyPart(0).getContent());
    html = normalise((String) alternative.getBodyPart(1).getContent());
    for (int i = 1; i < mixed.getCount(); i++) {
      BodyPart part = mixed.getBodyPart(i);
      if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
        attachments.put(part.getFileName(), part.getInputStream().readAllBytes());
      }
    }
  }

  /** Header names in order, as they appear in the top-level header block. */
  List<String> headerNames() throws MessagingException {
    List<String> names = new ArrayList<>();
    for (Header h : Collections.list(message.getAllHeaders())) {
      names.add(h.getName());
    }
    return names;
  }

  String header(String name) throws MessagingException {
    return message.getHeader(name, null);
  }

  private static String normalise(String s) {
    return s.replace("\r\n", "\n");
  }
}
