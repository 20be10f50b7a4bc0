package io.lparchiver.deliver.graph;

import java.nio.file.Path;

/** How the application proves its identity to Entra ID. {@code toString} never shows a secret. */
public sealed interface GraphCredential {

  /** A client secret ({@code target.graph.clientSecret}). */
  record ClientSecret(String secret) implements GraphCredential {
    @Override
    public String toString() {
      return "ClientSecret[****]";
    }
  }

  /**
   * A certificate: a PKCS#12 file with the private key and its certificate, whose public part is
   * uploaded to the app registration ({@code target.graph.certificatePath}, {@code
   * certificatePassword}).
   */
  record ClientCertificate(Path pkcs12, String password) implements GraphCredential {
    @Override
    public String toString() {
      return "ClientCertificate[" + pkcs12 + ", ****]";
    }
  }
}
