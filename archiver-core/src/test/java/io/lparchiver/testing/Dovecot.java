package io.lparchiver.testing;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away Dovecot on 127.0.0.1 for tests: users from a passwd-file, an optional master user
 * ({@code user*master} logins), Maildir storage under a temp dir ({@code mail_location =
 * maildir:<mailRoot>/%u}, the layout MaildirSink writes), the quota and ACL plugins, and per-user
 * settings (quota, capabilities) as userdb extra fields.
 *
 * <p>Runs as root with mail owned by uid/gid 65534, as on CI; as another user, with that user's
 * ids. When Dovecot is not installed the calling test is skipped, except with {@code CI=true},
 * where it fails: CI must never silently lose these tests.
 */
public final class Dovecot implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final Path dir;
  private final Path mailRoot;
  private final int port;
  private final boolean implicitTls;

  private Dovecot(Process process, Path dir, Path mailRoot, int port, boolean implicitTls) {
    this.process = process;
    this.dir = dir;
    this.mailRoot = mailRoot;
    this.port = port;
    this.implicitTls = implicitTls;
  }

  /** Skips the test when Dovecot is missing, fails it on CI. */
  public static Path requireInstalled() {
    for (String candidate : List.of("/usr/sbin/dovecot", "/usr/local/sbin/dovecot")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(":")) {
      Path p = Path.of(d.isEmpty() ? "." : d, "dovecot");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String message =
        "dovecot is not installed (apt-get install dovecot-imapd): IMAP integration tests need it";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + "; CI=true, so this is a failure, not a skip");
    }
    Assumptions.abort(message + "; skipped");
    throw new AssertionError("unreachable");
  }

  /**
   * A Dovecot whose config, logs and sockets live under {@code dir}. Dovecot's unprivileged users
   * must reach it: it is made mode 755, so pass a folder whose parents are traversable, such as a
   * {@code @TempDir} itself rather than a folder inside one.
   */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** What to run: users, a master user, plugin settings. */
  public static final class Builder {
    private final Path dir;
    private Path mailRoot;
    private final Map<String, String> users = new LinkedHashMap<>();
    private final Map<String, String> masters = new LinkedHashMap<>();
    private final List<String> globalAcl = new ArrayList<>();
    private String introspectionUrl;
    private Path tlsCertificate;
    private Path tlsKey;
    private boolean implicitTls;
    private String imapCapability;

    private Builder(Path dir) {
      this.dir = dir;
      this.mailRoot = dir.resolve("mail");
    }

    /** A user with a password and optional userdb fields, e.g. {@code quota_rule=*:storage=20K}. */
    public Builder user(String name, String password, String... userdbFields) {
      StringBuilder extra = new StringBuilder();
      for (String field : userdbFields) {
        extra.append(extra.length() == 0 ? "" : " ").append("userdb_").append(field);
      }
      users.put(name, "{PLAIN}" + password + "::::::" + extra);
      return this;
    }

    /** A master user: {@code <user>*<master>} logs in as any user with the master's password. */
    public Builder master(String name, String password) {
      masters.put(name, "{PLAIN}" + password);
      return this;
    }

    /** A global ACL line, e.g. {@code INBOX.Archive user=dave@x lr}. */
    public Builder acl(String line) {
      globalAcl.add(line);
      return this;
    }

    /**
     * Also accept XOAUTH2/OAUTHBEARER logins, checking tokens at this RFC 7662 introspection URL
     * (POST {@code token=...}; answer {@code {"active":true,"username":"<login>"}}).
     */
    public Builder oauth2(String introspectionUrl) {
      this.introspectionUrl = introspectionUrl;
      return this;
    }

    /** Require STARTTLS with this PEM certificate and key before any login. */
    public Builder tls(Path certificatePem, Path keyPem) {
      this.tlsCertificate = certificatePem;
      this.tlsKey = keyPem;
      return this;
    }

    /**
     * Listen for IMAPS (TLS from the first byte, like port 993) instead of plain IMAP with
     * STARTTLS; needs {@link #tls}.
     */
    public Builder implicitTls() {
      this.implicitTls = true;
      return this;
    }

    /**
     * Advertise exactly these capabilities after login, e.g. without UIDPLUS, to play an older
     * server (Dovecot still answers as it would: this changes what a client may rely on).
     */
    public Builder imapCapability(String capabilities) {
      this.imapCapability = capabilities;
      return this;
    }

    /** Serve Maildirs from this folder instead of {@code <dir>/mail}. */
    public Builder mailRoot(Path root) {
      this.mailRoot = root;
      return this;
    }

    public Dovecot start() throws IOException, InterruptedException {
      Path binary = requireInstalled();
      IOException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        try {
          return startOnce(binary);
        } catch (IOException e) {
          last = e; // the free port was taken meanwhile: try another
        }
      }
      throw last;
    }

    private Dovecot startOnce(Path binary) throws IOException, InterruptedException {
      Files.createDirectories(dir);
      Path run = Files.createTempDirectory(dir, "run");
      Path state = Files.createDirectories(run.resolve("state"));
      // not the config's own folder: Dovecot links base_dir/dovecot.conf to the config it runs
      Path base = Files.createDirectories(run.resolve("base"));
      Files.createDirectories(mailRoot);
      for (Path p : List.of(dir, run, state, base)) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.write(run.resolve("users"), lines(users));
      Files.write(run.resolve("masters"), lines(masters));
      Files.write(run.resolve("global-acl"), globalAcl);
      Files.write(
          run.resolve("oauth2.conf"),
          List.of(
              "introspection_mode = post",
              "introspection_url = " + introspectionUrl,
              "username_attribute = username",
              "active_attribute = active",
              "active_value = true"));
      boolean root = "root".equals(System.getProperty("user.name"));
      String ids = root ? "65534" : currentId("-u");
      String gid = root ? "65534" : currentId("-g");
      String owner = root ? "dovecot" : System.getProperty("user.name");
      String login = root ? "dovenull" : System.getProperty("user.name");
      if (root) {
        chownToMail(mailRoot);
      }
      int port = freePort();
      String conf =
          String.join(
              "\n",
              "protocols = imap",
              "listen = 127.0.0.1",
              "base_dir = " + base,
              "state_dir = " + state,
              "log_path = " + run.resolve("dovecot.log"),
              tlsCertificate == null ? "ssl = no" : "ssl = required",
              tlsCertificate == null ? "" : "ssl_cert = <" + tlsCertificate,
              tlsCertificate == null ? "" : "ssl_key = <" + tlsKey,
              "disable_plaintext_auth = " + (tlsCertificate == null ? "no" : "yes"),
              "auth_mechanisms = plain login" + (introspectionUrl == null ? "" : " xoauth2"),
              "auth_master_user_separator = *",
              "mail_location = maildir:" + mailRoot + "/%u",
              "default_internal_user = " + owner,
              "default_login_user = " + login,
              "first_valid_uid = 1",
              "mail_plugins = quota acl",
              "protocol imap {",
              "  mail_plugins = $mail_plugins imap_quota imap_acl",
              imapCapability == null ? "" : "  imap_capability = " + imapCapability,
              "}",
              "plugin {",
              "  quota = maildir:User quota",
              "  acl = vfile:" + run.resolve("global-acl"),
              "  acl_user = %u", // master logins act with the user's own rights
              "}",
              "service imap-login {",
              "  inet_listener imap {",
              "    address = 127.0.0.1",
              "    port = " + (implicitTls ? 0 : port),
              "  }",
              "  inet_listener imaps {",
              "    address = 127.0.0.1",
              "    port = " + (implicitTls ? port : 0),
              "    ssl = yes",
              "  }",
              "}",
              "passdb {",
              "  driver = passwd-file",
              "  master = yes",
              "  pass = yes",
              "  args = scheme=PLAIN username_format=%u " + run.resolve("masters"),
              "}",
              "passdb {",
              "  driver = passwd-file",
              "  args = scheme=PLAIN username_format=%u " + run.resolve("users"),
              "}",
              introspectionUrl == null ? "" : "passdb {",
              introspectionUrl == null ? "" : "  driver = oauth2",
              introspectionUrl == null ? "" : "  mechanisms = xoauth2 oauthbearer",
              introspectionUrl == null ? "" : "  args = " + run.resolve("oauth2.conf"),
              introspectionUrl == null ? "" : "}",
              "userdb {",
              "  driver = static",
              "  args = uid=" + ids + " gid=" + gid + " home=" + mailRoot + "/%u",
              "}",
              "");
      Path confFile = run.resolve("dovecot.conf");
      Files.writeString(confFile, conf);
      Process process =
          new ProcessBuilder(binary.toString(), "-F", "-c", confFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(run.resolve("stdout.log").toFile())
              .start();
      Dovecot dovecot = new Dovecot(process, run, mailRoot, port, implicitTls);
      try {
        dovecot.awaitGreeting();
      } catch (IOException e) {
        dovecot.close();
        throw new IOException(e.getMessage() + "\n" + dovecot.log(), e);
      }
      return dovecot;
    }

    private static List<String> lines(Map<String, String> entries) {
      return entries.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
    }
  }

  private void awaitGreeting() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("dovecot exited with " + process.exitValue());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        if (implicitTls) {
          return; // the greeting comes after the TLS handshake; the client checks it
        }
        s.setSoTimeout(2000);
        byte[] greeting = new byte[4];
        if (s.getInputStream().readNBytes(greeting, 0, 4) == 4
            && new String(greeting, StandardCharsets.US_ASCII).equals("* OK")) {
          return;
        }
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IOException("dovecot did not greet on port " + port + " within " + START_TIMEOUT);
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  public Path mailRoot() {
    return mailRoot;
  }

  /** Dovecot's log, for failure messages. */
  public String log() {
    try {
      StringBuilder out = new StringBuilder();
      for (String name : List.of("stdout.log", "dovecot.log")) {
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
          out.append(Files.readString(file));
        }
      }
      return out.toString();
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Gives files written by the test (e.g. by MaildirSink, as root) to Dovecot's mail user. */
  public static void chownToMail(Path path) throws IOException, InterruptedException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return;
    }
    Process chown = new ProcessBuilder("chown", "-R", "65534:65534", path.toString()).start();
    if (!chown.waitFor(30, TimeUnit.SECONDS) || chown.exitValue() != 0) {
      throw new IOException("chown -R 65534:65534 " + path + " failed");
    }
  }

  /** Removes every mailbox, between tests; call with no connection open. */
  public void wipeMail() throws IOException {
    try (Stream<Path> children = Files.list(mailRoot)) {
      for (Path child : children.toList()) {
        deleteTree(child);
      }
    }
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One message as read back over IMAP. */
  public record Fetched(byte[] mime, Flags flags, Date internalDate) {}

  /** Every message of a folder, read over IMAP; empty when the folder does not exist. */
  public List<Fetched> fetchAll(String login, String password, String folderName)
      throws MessagingException, IOException {
    Properties props = new Properties();
    String protocol = implicitTls ? "imaps" : "imap"; // imaps trusts the JVM's default context
    props.setProperty("mail." + protocol + ".connectiontimeout", "10000");
    props.setProperty("mail." + protocol + ".timeout", "30000");
    Store store = Session.getInstance(props).getStore(protocol);
    store.connect(host(), port, login, password);
    try {
      Folder folder = store.getFolder(folderName);
      if (!folder.exists()) {
        return List.of();
      }
      folder.open(Folder.READ_ONLY);
      try {
        List<Fetched> out = new ArrayList<>();
        for (Message m : folder.getMessages()) {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          m.writeTo(bytes); // an unloaded IMAPMessage writes the fetched BODY[] as is
          out.add(new Fetched(bytes.toByteArray(), m.getFlags(), m.getReceivedDate()));
        }
        return out;
      } finally {
        folder.close(false);
      }
    } finally {
      store.close();
    }
  }

  /** Deletes a folder and what it holds, as a user or an administrator might mid-run. */
  public void deleteFolder(String login, String password, String folderName)
      throws MessagingException {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect(host(), port, login, password);
    try {
      store.getFolder(folderName).delete(true);
    } finally {
      store.close();
    }
  }

  /** Full names of the folders the login has subscribed to (LSUB). */
  public List<String> subscribed(String login, String password) throws MessagingException {
    Store store = Session.getInstance(new Properties()).getStore("imap");
    store.connect(host(), port, login, password);
    try {
      return Stream.of(store.getDefaultFolder().listSubscribed("*"))
          .map(Folder::getFullName)
          .toList();
    } finally {
      store.close();
    }
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the master stops its children
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String currentId(String flag) throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", flag).start();
    id.waitFor(10, TimeUnit.SECONDS);
    return new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
  }
}
