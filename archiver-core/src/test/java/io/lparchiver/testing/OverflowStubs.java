package io.lparchiver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lparchiver.overflow.Externaliser;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the stubs an externalised email carries and checks them against the overflow store. */
public final class OverflowStubs {

  /** One stub: what it says about the stored file. */
  public record Stub(String fileName, String sha256, long size, String relativePath, String text) {}

  private static final Pattern HEADER =
      Pattern.compile("sha256=([0-9a-f]{64}); size=(\\d+); file=(\\S+)");

  private OverflowStubs() {}

  public static List<Stub> in(byte[] mime) throws MessagingException, IOException {
    MimeMessage msg =
        new MimeMessage(
            Session.getInstance(new Properties()), new SharedByteArrayInputStream(mime));
    List<Stub> stubs = new ArrayList<>();
    if (!msg.isMimeType("multipart/*")) {
      return stubs;
    }
    Multipart mp = (Multipart) msg.getContent();
    for (int i = 0; i < mp.getCount(); i++) {
      BodyPart part = mp.getBodyPart(i);
      String[] header = part.getHeader(Externaliser.STUB_HEADER);
      if (header == null) {
        continue;
      }
      Matcher m = HEADER.matcher(header[0]);
      assertTrue(m.matches(), "stub header: " + header[0]);
      String text;
      try (InputStream in = part.getInputStream()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String name = part.getFileName().replaceFirst("\\.externalised\\.txt$", "");
      stubs.add(new Stub(name, m.group(1), Long.parseLong(m.group(2)), m.group(3), text));
    }
    return stubs;
  }

  /** The stored file exists, has the stub's size, and its SHA-256 is the stub's. */
  public static void assertStored(Path overflowDir, Stub stub) throws IOException {
    Path file = overflowDir.resolve(stub.relativePath());
    assertTrue(Files.isRegularFile(file), "overflow file " + file);
    assertEquals(stub.size(), Files.size(file), "size of " + file);
    assertEquals(stub.sha256(), sha256(file), "SHA-256 of " + file);
    assertTrue(stub.text().contains(stub.sha256()), "the stub text names the hash");
    assertTrue(stub.text().contains(stub.size() + " bytes"), "the stub text names the size");
    assertTrue(stub.text().contains(stub.relativePath()), "the stub text names the file");
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
