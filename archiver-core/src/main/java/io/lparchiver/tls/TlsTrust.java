package io.lparchiver.tls;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether TLS server certificates are checked, for every outbound connection of the process
 * (LivePerson, Microsoft Graph and its token endpoint, IMAP, SMTP, alerts). Checked by default
 * against the JVM trust store and the host name. {@code tls.insecureSkipVerify: true} turns both
 * checks off for a test server with a self-signed certificate, and says so loudly once.
 *
 * <p>One switch for the whole process because the configuration is per process, and so that no
 * client can be built that forgets it: every client asks {@link #httpClient()} or {@link
 * #addMailProperties}.
 */
public final class TlsTrust {

  public static final String KEY = "tls.insecureSkipVerify";

  private static final Logger log = LoggerFactory.getLogger(TlsTrust.class);
  private static final AtomicBoolean warned = new AtomicBoolean();
  private static volatile boolean skipVerify;

  private TlsTrust() {}

  /** Sets the policy of this process; called once when the configuration is loaded. */
  public static void configure(boolean insecureSkipVerify) {
    skipVerify = insecureSkipVerify;
    if (insecureSkipVerify && warned.compareAndSet(false, true)) {
      log.warn(
          "!!! {}: true: TLS certificates and host names are NOT checked for LivePerson, Graph,"
              + " IMAP, SMTP and alerts. Anyone on the network path can read the credentials and"
              + " the archive. Use it only against a test server; trust a private CA with"
              + " -Djavax.net.ssl.trustStore instead. !!!",
          KEY);
    }
  }

  public static boolean skipsVerification() {
    return skipVerify;
  }

  /** A JDK HTTP client builder that follows the policy. */
  public static HttpClient.Builder httpClient() {
    HttpClient.Builder builder = HttpClient.newBuilder();
    if (skipVerify) {
      builder.sslContext(trustingContext());
    }
    return builder;
  }

  /** Jakarta Mail properties for {@code protocol} ({@code imap}, {@code smtps}, ...). */
  public static void addMailProperties(Properties props, String protocol) {
    if (skipVerify) {
      props.setProperty("mail." + protocol + ".ssl.trust", "*");
      props.setProperty("mail." + protocol + ".ssl.checkserveridentity", "false");
    }
  }

  /**
   * A message for a refused certificate somewhere in {@code failure}'s causes: names the server,
   * what to do, and the flag; empty when the failure is something else.
   */
  public static Optional<String> explain(Throwable failure, String server) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException
          || t instanceof java.security.cert.CertificateException) {
        return Optional.of(
            "the TLS certificate of "
                + server
                + " is not trusted ("
                + rootMessage(t)
                + "). Use a certificate from a CA in the JVM trust store, add the server's CA"
                + " with -Djavax.net.ssl.trustStore, or, for a test server only, set "
                + KEY
                + ": true");
      }
    }
    return Optional.empty();
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }

  private static SSLContext trustingContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustingManager()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * Accepts every chain. An extended manager, so the JDK skips its host name check as well (it
   * wraps a plain X509TrustManager in one that checks the name).
   */
  private static final class TrustingManager extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
