package io.lparchiver.deliver.graph;

import static io.lparchiver.deliver.MailboxSinkContract.ANN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.TestEmails;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate credential ({@code target.graph.certificatePath}): a PKCS#12 made by the JDK's
 * keytool, its certificate registered with the simulator, which checks the RS256 client assertion.
 */
class GraphCertificateTest {

  private static final String PASSWORD = "pkcs12-pass-never-logged";

  @TempDir Path dir;

  @Test
  void aRegisteredCertificateGetsATokenAndDelivers() throws Exception {
    Path p12 = keystore("registered");
    try (GraphSimulator sim =
            GraphFixtures.simulator(GraphFaults.none())
                .certificate(certificate(p12))
                .build()
                .start();
        GraphSink sink = sinkWithCertificate(sim, p12)) {
      ArchiveEmail email =
          TestEmails.email(TestEmails.key("conv-cert", 1), "signed in with a certificate");
      sink.ensureFolder(ANN);
      sink.deliver(ANN, email);

      assertThat(sink.find(ANN, email.key())).isPresent();
      assertThat(
              sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(GraphFixtures.FOLDER))
          .hasSize(1);
    }
  }

  @Test
  void anUnregisteredCertificateIsRefusedWithAMessageNamingTheKey() throws Exception {
    Path registered = keystore("registered");
    Path other = keystore("other");
    try (GraphSimulator sim =
            GraphFixtures.simulator(GraphFaults.none())
                .certificate(certificate(registered))
                .build()
                .start();
        GraphSink sink = sinkWithCertificate(sim, other)) {
      assertThatThrownBy(() -> sink.ensureFolder(ANN))
          .isInstanceOf(DeliveryException.class)
          .hasMessageContaining("target.graph")
          .hasMessageNotContaining(PASSWORD)
          .satisfies(e -> assertThat(((DeliveryException) e).retriable()).isFalse());
    }
  }

  private GraphSink sinkWithCertificate(GraphSimulator sim, Path p12) {
    return GraphSink.create(
        GraphFixtures.settings(sim, new GraphCredential.ClientCertificate(p12, PASSWORD)),
        Clock.systemUTC(),
        dir.resolve("spool"));
  }

  private Path keystore(String name) throws Exception {
    Path file = dir.resolve(name + ".p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "lp-archiver",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=lp-archiver-" + name,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                file.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String out =
        new String(
            keytool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();
    return file;
  }

  private static X509Certificate certificate(Path p12) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return (X509Certificate) ks.getCertificate("lp-archiver");
  }
}
