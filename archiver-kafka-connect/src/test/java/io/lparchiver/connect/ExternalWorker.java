package io.lparchiver.connect;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A Connect worker in a JVM of its own ({@code ConnectDistributed}), joined to an embedded cluster,
 * with lp-archiver only on its {@code plugin.path} (the plugin directory {@code package} builds),
 * so that a test can SIGKILL it: no shutdown hook, no task stop, no state closed.
 */
final class ExternalWorker implements AutoCloseable {

  private static final Duration START_PATIENCE = Duration.ofSeconds(90);

  private final Process process;
  private final int port;
  private final Path log;

  private ExternalWorker(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a worker with the embedded workers' properties and waits until it answers as a member of
   * the cluster.
   */
  static ExternalWorker start(Map<String, String> workerProps, String bootstrap, Path dir)
      throws IOException, InterruptedException {
    Path module = Path.of("").toAbsolutePath();
    Path plugins = module.resolve("target/lp-archiver-kafka-connect");
    if (!Files.isDirectory(plugins.resolve("lp-archiver-kafka-connect/lib"))) {
      throw new IllegalStateException(
          plugins + " is missing: run this test with mvn verify, whose package phase builds it");
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Properties props = new Properties();
    props.putAll(workerProps);
    props.put("bootstrap.servers", bootstrap);
    props.put("listeners", "http://localhost:" + port);
    props.put("plugin.path", plugins.toString());
    Path config = dir.resolve("external-worker.properties");
    try (var out = Files.newBufferedWriter(config)) {
      props.store(out, "external Connect worker of ConnectPipelineIT");
    }
    Path log = dir.resolve("external-worker.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx384m",
                "-Dlogback.configurationFile="
                    + module.resolve("src/test/resources/logback-connect-test.xml"),
                "-cp",
                classpathWithoutTheProject(module.getParent()),
                "org.apache.kafka.connect.cli.ConnectDistributed",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    ExternalWorker worker = new ExternalWorker(process, port, log);
    worker.awaitMember();
    return worker;
  }

  /** The id Connect gives the worker in connector status: its REST host and port. */
  String workerId() {
    return "localhost:" + port;
  }

  /** SIGKILL: the JVM ends at once, in the middle of whatever its tasks were doing. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the external worker did not die within 30 s");
    }
  }

  String logTail() {
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      List<String> all = lines.toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /** Member once it can list connectors: that needs the group's leader and the config topic. */
  private void awaitMember() throws InterruptedException {
    Instant deadline = Instant.now().plus(START_PATIENCE);
    while (!answers("/connectors")) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the external worker exited:\n" + logTail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the external worker did not join within " + START_PATIENCE + ":\n" + logTail());
      }
      Thread.sleep(250);
    }
  }

  private boolean answers(String path) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://localhost:" + port + path).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(5000);
      try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          in.readAllBytes();
        }
        return c.getResponseCode() == 200;
      }
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The test's classpath (Kafka, Connect and their libraries) without this project's own classes:
   * the worker must load lp-archiver from its plugin.path, as a real worker does. Failsafe may pass
   * the classpath as a single jar whose manifest lists it.
   */
  private static String classpathWithoutTheProject(Path projectRoot) throws IOException {
    List<Path> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e).toAbsolutePath();
      entries.add(p);
      if (p.toString().endsWith(".jar") && Files.isRegularFile(p)) {
        try (JarFile jar = new JarFile(p.toFile())) {
          Manifest m = jar.getManifest();
          String listed = m == null ? null : m.getMainAttributes().getValue("Class-Path");
          if (listed != null) {
            for (String url : listed.trim().split("\\s+")) {
              entries.add(Path.of(p.getParent().toUri().resolve(url)));
            }
          }
        }
      }
    }
    return String.join(
        File.pathSeparator,
        entries.stream()
            .filter(p -> !p.startsWith(projectRoot))
            .filter(p -> !p.getFileName().toString().startsWith("surefire"))
            .map(Path::toString)
            .distinct()
            .toList());
  }
}
