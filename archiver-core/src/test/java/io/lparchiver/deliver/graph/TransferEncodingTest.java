package io.lparchiver.deliver.graph;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransferEncodingTest {

  @Test
  void quotedPrintableRoundTripsWhatJakartaMailEncodes() throws Exception {
    Random random = new Random(20261126);
    String alphabet = "ab c\t=\r\n\u00e9\u20ac<>&;.";
    for (int round = 0; round < 500; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(400);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      byte[] original = text.toString().getBytes(StandardCharsets.UTF_8);
      // the encoder turns a lone CR or LF into CRLF, so the reference is Jakarta Mail's decoder
      byte[] encoded = encode(original, "quoted-printable");

      assertThat(TransferEncoding.decode("quoted-printable", encoded))
          .as("round %d: %s", round, text)
          .hasValueSatisfying(d -> assertThat(d).isEqualTo(jakartaDecode(encoded)));
    }
  }

  @Test
  void softLineBreaksJoinAndHardOnesStay() {
    byte[] in = "one=\r\ntwo =  \r\nthree  \r\nfour=3D=C3=A9".getBytes(StandardCharsets.US_ASCII);

    assertThat(new String(TransferEncoding.quotedPrintable(in), StandardCharsets.UTF_8))
        .isEqualTo("onetwo three\r\nfour=\u00e9");
  }

  @Test
  void aMalformedEscapeIsKeptAsWritten() {
    byte[] in = "50=% off =Z1 and =".getBytes(StandardCharsets.US_ASCII);

    assertThat(new String(TransferEncoding.quotedPrintable(in), StandardCharsets.US_ASCII))
        .isEqualTo("50=% off =Z1 and ");
  }

  @Test
  void base64AndIdentityEncodingsDecodeAndOthersAreLeftToJakartaMail() throws Exception {
    byte[] data = new byte[3000];
    new Random(7).nextBytes(data);

    assertThat(TransferEncoding.decode("BASE64 ", encode(data, "base64"))).hasValue(data);
    assertThat(TransferEncoding.decode(null, data)).hasValue(data);
    assertThat(TransferEncoding.decode("8bit", data)).hasValue(data);
    assertThat(TransferEncoding.decode("x-uuencode", data)).isEmpty();
  }

  private static byte[] encode(byte[] data, String encoding) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc = MimeUtility.encode(out, encoding)) {
      enc.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] jakartaDecode(byte[] encoded) {
    try {
      return MimeUtility.decode(new ByteArrayInputStream(encoded), "quoted-printable")
          .readAllBytes();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
