package io.lparchiver.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.lparchiver.deliver.MailSessions;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.source.SourceException;
import io.lparchiver.source.liveperson.AllowedHosts;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.source.liveperson.LivePersonSettings;
import io.lparchiver.source.liveperson.OAuth1Credentials;
import io.lparchiver.source.liveperson.RetryPolicy;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate checks against servers on loopback with a self-signed certificate made by keytool:
 * refused by default with a message that says what to do, accepted only with the flag.
 */
class TlsTrustTest {

  private static final char[] PASS = "store-pass".toCharArray();
  @TempDir static Path dir;
  private static SSLContext serverTls;

  @BeforeAll
  static void selfSignedCertificate() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=IP:127.0.0.1,DNS:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(PASS))
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASS);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASS);
    serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
  }

  @AfterEach
  void checksBackOn() {
    TlsTrust.configure(false);
  }

  @Test
  void liveperson_selfSignedIsRefusedByDefaultWithAClearMessageAndAcceptedWithTheFlag()
      throws Exception {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext(
        "/",
        ex -> {
          byte[] body = "{\"baseURI\":\"127.0.0.1:9\"}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      URI domainApi = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
      assertThatThrownBy(() -> client(domainApi).domainApi().baseUri("msgHist"))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("TLS certificate of 127.0.0.1")
          .hasMessageContaining("not trusted")
          .hasMessageContaining("javax.net.ssl.trustStore")
          .hasMessageContaining("tls.insecureSkipVerify");

      TlsTrust.configure(true);
      assertThat(client(domainApi).domainApi().baseUri("msgHist"))
          .isEqualTo(URI.create("https://127.0.0.1:9"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void smtp_selfSignedIsRefusedByDefaultAndAcceptedWithTheFlag() throws Exception {
    try (SSLServerSocket listener =
        (SSLServerSocket)
            serverTls
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread greeter = new Thread(() -> greet(listener), "smtps-greeter");
      greeter.setDaemon(true);
      greeter.start();

      assertThatThrownBy(() -> connect(listener.getLocalPort()))
          .isInstanceOf(MessagingException.class)
          .satisfies(
              e ->
                  assertThat(TlsTrust.explain(e, "127.0.0.1 (SMTP)"))
                      .get()
                      .asString()
                      .contains("tls.insecureSkipVerify"));

      TlsTrust.configure(true);
      connect(listener.getLocalPort()); // handshake, greeting, EHLO, QUIT
    }
  }

  @Test
  void otherFailuresAreNotBlamedOnCertificates() {
    assertThat(TlsTrust.explain(new java.net.ConnectException("refused"), "x")).isEmpty();
  }

  private static void connect(int port) throws MessagingException {
    var props =
        MailSessions.properties(
            "smtps", "127.0.0.1", port, TransportSecurity.TLS, Duration.ofSeconds(10));
    try (Transport t = Session.getInstance(props).getTransport("smtps")) {
      t.connect();
    }
  }

  /** A minimal SMTP greeter: enough for Jakarta Mail to connect and quit. */
  private static void greet(SSLServerSocket listener) {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        OutputStream out = s.getOutputStream();
        BufferedReader in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        out.write("220 test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          boolean quit = line.toUpperCase(java.util.Locale.ROOT).startsWith("QUIT");
          out.write((quit ? "221 bye\r\n" : "250 ok\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          if (quit) {
            break;
          }
        }
      } catch (java.io.IOException e) {
        // a refused handshake ends that connection; keep accepting
      }
    }
  }

  private static LivePersonClient client(URI domainApi) {
    RetryPolicy d = RetryPolicy.defaults();
    return LivePersonClient.create(
        new LivePersonSettings(
            "123",
            domainApi,
            new OAuth1Credentials("key", "secret", "token", "token-secret"),
            "lp-archiver-test",
            new RetryPolicy(
                2,
                Duration.ofMillis(1),
                Duration.ofMillis(2),
                d.maxRetryAfter(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                d.maxRefetches()),
            AllowedHosts.of("127.0.0.1")),
        Clock.systemUTC());
  }
}
