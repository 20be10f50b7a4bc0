package io.lparchiver.deliver.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.UUID;

/**
 * Signs the {@code client_assertion} JWT of the certificate credential: RS256 over the header (with
 * the certificate's SHA-1 thumbprint as {@code x5t}) and the claims Entra ID requires ({@code aud}
 * = token endpoint, {@code iss} = {@code sub} = client id, {@code jti}, {@code nbf}, {@code exp}).
 */
final class ClientAssertion {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final PrivateKey key;
  private final String thumbprint;
  private final String thumbprintS256;

  private ClientAssertion(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
    this.key = key;
    this.thumbprint =
        B64URL.encodeToString(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded()));
    this.thumbprintS256 =
        B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
  }

  /**
   * Loads the first private key entry of a PKCS#12 file; the message never includes the password.
   */
  static ClientAssertion load(Path pkcs12, String password) {
    try (InputStream in = Files.newInputStream(pkcs12)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      char[] pw = password.toCharArray();
      store.load(in, pw);
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)
            && store.getCertificate(alias) instanceof X509Certificate cert) {
          return new ClientAssertion((PrivateKey) store.getKey(alias, pw), cert);
        }
      }
      throw new IllegalArgumentException(
          "target.graph.certificatePath: " + pkcs12 + " holds no private key with a certificate");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "target.graph.certificatePath: cannot read "
              + pkcs12
              + " as PKCS#12 with target.graph.certificatePassword ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  String sign(String clientId, URI audience, Instant now) {
    ObjectNode header = JSON.createObjectNode();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("x5t", thumbprint);
    header.put("x5t#S256", thumbprintS256);
    ObjectNode claims = JSON.createObjectNode();
    claims.put("aud", audience.toString());
    claims.put("iss", clientId);
    claims.put("sub", clientId);
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("nbf", now.getEpochSecond());
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.getEpochSecond() + 600);
    String signingInput = b64(header) + "." + b64(claims);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the client assertion: " + e.getMessage(), e);
    }
  }

  private static String b64(ObjectNode node) {
    try {
      return B64URL.encodeToString(JSON.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
