package io.lparchiver.render;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.activation.DataHandler;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our encoders against Angus Mail's, which stay the reference: every archived email's SHA-256
 * depends on the two writing the same bytes. Seeded, so a failure names a reproducible round.
 */
class BodyEncodingTest {

  private static final String[] PIECES = {
    "a",
    "Z",
    "0",
    "~",
    " ",
    "  ",
    "     ",
    "\t",
    " \t ",
    "=",
    "==",
    "\r\n",
    "\n",
    "\r",
    "\r\r",
    "\n\n",
    "\n\r",
    " \r\n",
    " \n",
    " \r",
    "=\r\n",
    "\u0000",
    "\u001b",
    "\u007f",
    "\u0080",
    "\u00a0",
    "\u00e9",
    "\u20ac",
    "\u674e",
    "\uD83D\uDE00",
    "\uD800",
    "\uDC00",
    "\uFEFF",
    "\u2028",
    "<p>",
    "&amp;",
    ".",
    "..\r\n.",
    "-- ",
    "From ",
    "=?UTF-8?B?SGk=?=",
    "=20",
    "=\n"
  };

  @Test
  void quotedPrintableIsAngusByteForByteOnRandomText() throws Exception {
    Random random = new Random(20261126);
    for (int round = 0; round < 3_000; round++) {
      String text = randomText(random);

      assertThat(qp(text)).as("round %d: %s", round, text).isEqualTo(angusQp(text));
    }
  }

  @Test
  void quotedPrintableIsAngusByteForByteOnRandomCharsAndLineLengths() throws Exception {
    Random random = new Random(76);
    for (int round = 0; round < 2_000; round++) {
      char[] chars = new char[random.nextInt(600)];
      for (int i = 0; i < chars.length; i++) {
        // any UTF-16 unit, surrogates and controls included, or ASCII half of the time
        chars[i] = (char) random.nextInt(random.nextBoolean() ? 0x10000 : 0x80);
      }
      // long runs of one char around the 76th column: soft breaks land on every offset
      int runs = random.nextInt(3);
      for (int r = 0; r < runs && chars.length > 0; r++) {
        int from = random.nextInt(chars.length);
        int to = Math.min(chars.length, from + 60 + random.nextInt(120));
        Arrays.fill(chars, from, to, " a=\u00ff\t\u20ac".charAt(random.nextInt(6)));
      }
      String text = new String(chars);

      assertThat(qp(text)).as("round %d: %s", round, text).isEqualTo(angusQp(text));
    }
  }

  @Test
  void quotedPrintableEdgeCasesAreAngusByteForByte() throws Exception {
    String[] cases = {
      "",
      " ",
      "=",
      "\r",
      "\n",
      "\r\n",
      "a ",
      "a \r\n",
      "a  ",
      "x".repeat(75),
      "x".repeat(76),
      "x".repeat(75) + " ",
      "x".repeat(74) + " y",
      "x".repeat(73) + "=",
      "x".repeat(74) + "=",
      "x".repeat(300),
      "\u00e9".repeat(50),
      " ".repeat(200),
      " ".repeat(75) + "\r\n"
    };
    for (String text : cases) {
      assertThat(qp(text)).as("%s", text).isEqualTo(angusQp(text));
    }
  }

  @Test
  void quotedPrintableIsAngusByteForByteWhereverASpaceOrEscapeMeetsTheLineEnd() throws Exception {
    for (int length = 0; length < 240; length++) {
      for (String tail : new String[] {" ", " \r\n", "=", "= ", "\u00e9 ", " x"}) {
        String text = "x".repeat(length) + tail;

        assertThat(qp(text)).as("%d + %s", length, tail).isEqualTo(angusQp(text));
      }
    }
  }

  @Test
  void base64IsAngusByteForByteOnEveryLengthAroundTheLineSize() throws Exception {
    Random random = new Random(57);
    for (int length = 0; length < 400; length++) {
      byte[] in = new byte[length];
      random.nextBytes(in);

      assertThat(bytes(BodyEncoding.base64(in)))
          .as("length %d", length)
          .isEqualTo(angus(in, "base64"));
    }
    for (int round = 0; round < 200; round++) {
      byte[] in = new byte[random.nextInt(20_000)];
      random.nextBytes(in);

      assertThat(bytes(BodyEncoding.base64(in)))
          .as("length %d", in.length)
          .isEqualTo(angus(in, "base64"));
    }
  }

  @Test
  void streamedBase64OfASharedFileIsAngusByteForByteAndItsPartTheOldPart() throws Exception {
    Random random = new Random(58);
    List<Integer> lengths = new ArrayList<>();
    for (int length = 0; length < 400; length++) {
      lengths.add(length);
    }
    for (int lines = 1; lines < 40; lines++) {
      // 57 bytes fill a 76-character line: around multiples of it
      lengths.addAll(List.of(57 * lines * 150 - 1, 57 * lines * 150, 57 * lines * 150 + 1));
    }
    for (int chunks = 1; chunks <= 3; chunks++) {
      // around the encoder's chunk of 1,024 lines
      lengths.addAll(List.of(57 * 1024 * chunks - 1, 57 * 1024 * chunks, 57 * 1024 * chunks + 1));
    }
    for (int length : lengths) {
      byte[] in = new byte[length];
      random.nextBytes(in);
      ByteArrayOutputStream streamed = new ByteArrayOutputStream();

      BodyEncoding.base64(new ByteArrayInputStream(in), streamed);

      assertThat(streamed.toByteArray()).as("length %d", length).isEqualTo(angus(in, "base64"));
    }
    byte[] file = new byte[57 * 1000];
    random.nextBytes(file);
    MimeBodyPart old = new MimeBodyPart();
    old.setDataHandler(new DataHandler(new ByteArrayDataSource(file, "application/pdf")));
    old.setFileName("receipt.pdf");
    old.setDisposition(MimeBodyPart.ATTACHMENT);
    old.setHeader("Content-Type", "application/pdf; name=\"receipt.pdf\"");
    old.setHeader("Content-Transfer-Encoding", "base64");

    MimeBodyPart streamedPart =
        MimeAssembly.attachment(
            FilePart.of(new AttachmentContent("receipt.pdf", "application/pdf", file)));

    assertThat(written(streamedPart)).isEqualTo(written(old));
  }

  private static byte[] written(MimeBodyPart part) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    part.writeTo(out);
    return out.toByteArray();
  }

  /** The parts as whole emails, headers included, against the parts Jakarta Mail encodes. */
  @Test
  void partsWriteWhatJakartaMailWritesForTheSameContent() throws Exception {
    Random random = new Random(5);
    for (int round = 0; round < 300; round++) {
      String text = randomText(random);
      byte[] json = randomText(random).getBytes(StandardCharsets.UTF_8);

      MimeMultipart ours = new MimeAssembly.FixedMultipart("mixed", "b");
      ours.addBodyPart(MimeAssembly.text(text, "plain"));
      ours.addBodyPart(MimeAssembly.text(text, "html"));
      ours.addBodyPart(MimeAssembly.attachment("conversation.json", "application/json", json));
      MimeMultipart reference = new MimeAssembly.FixedMultipart("mixed", "b");
      reference.addBodyPart(angusText(text, "plain"));
      reference.addBodyPart(angusText(text, "html"));
      reference.addBodyPart(angusAttachment("conversation.json", "application/json", json));

      assertThat(new String(write(ours), StandardCharsets.ISO_8859_1))
          .as("round %d: %s", round, text)
          .isEqualTo(new String(write(reference), StandardCharsets.ISO_8859_1));
    }
  }

  private static String randomText(Random random) {
    StringBuilder s = new StringBuilder();
    int pieces = random.nextInt(120);
    for (int i = 0; i < pieces; i++) {
      if (random.nextInt(8) == 0) {
        s.append("w".repeat(random.nextInt(160)));
      } else {
        s.append(PIECES[random.nextInt(PIECES.length)]);
      }
    }
    return s.toString();
  }

  private static byte[] qp(String text) {
    byte[] fromString = bytes(BodyEncoding.quotedPrintable(text));
    // the transcripts come as their builders (UTF-16 once any char is past Latin-1): same bytes
    StringBuilder utf16 = new StringBuilder().append('\u2192');
    utf16.setLength(0);
    assertThat(bytes(BodyEncoding.quotedPrintable(utf16.append(text)))).isEqualTo(fromString);
    assertThat(bytes(BodyEncoding.quotedPrintable(new StringBuilder(text)))).isEqualTo(fromString);
    return fromString;
  }

  // String.getBytes writes a broken surrogate as '?', as Jakarta Mail's text writer does
  private static byte[] angusQp(String text) throws Exception {
    return angus(text.getBytes(StandardCharsets.UTF_8), "quoted-printable");
  }

  private static byte[] bytes(BodyEncoding.Encoded e) {
    return Arrays.copyOf(e.bytes(), e.length());
  }

  /** What MimeBodyPart.writeTo writes: the encoder stream, then a flush. */
  private static byte[] angus(byte[] in, String encoding) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStream encoder = MimeUtility.encode(out, encoding);
    encoder.write(in);
    encoder.flush();
    return out.toByteArray();
  }

  // The parts as MimeAssembly built them before it encoded them itself.
  private static MimeBodyPart angusText(String text, String subtype) throws Exception {
    MimeBodyPart part = new MimeBodyPart();
    part.setText(text, "UTF-8", subtype);
    part.setHeader("Content-Transfer-Encoding", "quoted-printable");
    return part;
  }

  private static MimeBodyPart angusAttachment(String fileName, String contentType, byte[] bytes)
      throws Exception {
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, contentType)));
    part.setFileName(fileName);
    part.setDisposition(MimeBodyPart.ATTACHMENT);
    part.setHeader("Content-Type", contentType + "; name=\"" + fileName + "\"");
    part.setHeader("Content-Transfer-Encoding", "base64");
    return part;
  }

  private static byte[] write(MimeMultipart body) throws Exception {
    MimeMessage msg = new MimeAssembly.ArchiveMessage("<id@test>");
    // without one, saveChanges sets Date to the current second: two emails could differ by it
    msg.setHeader("Date", "Wed, 1 May 2024 10:00:00 +0000");
    msg.setContent(body);
    msg.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    msg.writeTo(out);
    return out.toByteArray();
  }
}
