package io.lparchiver.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher the build lays beside the jar ({@code target/lp-archiver} and {@code
 * target/jvm.options}): the JVM must start with every option of jvm.options, JAVA_OPTS after them
 * and winning, from wherever the launcher is called, including through a symlink.
 */
class LauncherIT {

  private static final Path JAR = Path.of(System.getProperty("lp.jar", "target/lp-archiver.jar"));
  private static final Pattern XX_FLAG = Pattern.compile("-XX:(\\w+)=(\\S+)");
  private static final Pattern XX_SWITCH = Pattern.compile("-XX:([+-])(\\w+)");

  @TempDir Path dir;

  @Test
  void startsTheJvmWithTheShippedOptionsAndLetsJavaOptsOverrideThem() throws Exception {
    Map<String, String> shipped = shippedFlags();
    assertThat(shipped).as("jvm.options sets -XX flags").isNotEmpty();
    String overridden =
        shipped.entrySet().stream()
            .filter(f -> f.getValue().matches("\\d+"))
            .findFirst()
            .orElseThrow()
            .getKey();
    String mine = Integer.toString(Integer.parseInt(shipped.get(overridden)) + 1);

    String output =
        launch(
            JAR.resolveSibling("lp-archiver"),
            "-XX:+PrintFlagsFinal -XX:" + overridden + "=" + mine);

    assertThat(output).contains("Usage: lp-archiver");
    for (Map.Entry<String, String> flag : shipped.entrySet()) {
      String expected = flag.getKey().equals(overridden) ? mine : flag.getValue();
      assertThat(finalValue(output, flag.getKey())).as(flag.getKey()).isEqualTo(expected);
    }
  }

  @Test
  void aCollectorNamedInJavaOptsReplacesTheShippedOne() throws Exception {
    assertThat(shippedFlags()).containsEntry("UseParallelGC", "true");

    // without the launcher's help the JVM would refuse to start: "Multiple garbage collectors"
    String output = launch(JAR.resolveSibling("lp-archiver"), "-XX:+PrintFlagsFinal -XX:+UseG1GC");

    assertThat(output).contains("Usage: lp-archiver");
    assertThat(finalValue(output, "UseG1GC")).isEqualTo("true");
    assertThat(finalValue(output, "UseParallelGC")).isEqualTo("false");
  }

  @Test
  void findsItsJarAndOptionsThroughASymlinkFromAnotherDirectory() throws Exception {
    Path link = dir.resolve("bin").resolve("lp-archiver");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, JAR.resolveSibling("lp-archiver").toAbsolutePath());
    Map.Entry<String, String> flag = shippedFlags().entrySet().iterator().next();

    String output = launch(link, "-XX:+PrintFlagsFinal");

    assertThat(output).contains("Usage: lp-archiver");
    assertThat(finalValue(output, flag.getKey())).isEqualTo(flag.getValue());
  }

  private static Map<String, String> shippedFlags() throws Exception {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String line : Files.readAllLines(JAR.resolveSibling("jvm.options"))) {
      Matcher m = XX_FLAG.matcher(line.strip());
      Matcher onOff = XX_SWITCH.matcher(line.strip());
      if (m.matches()) {
        flags.put(m.group(1), m.group(2));
      } else if (onOff.matches()) {
        flags.put(onOff.group(2), Boolean.toString(onOff.group(1).equals("+")));
      }
    }
    return flags;
  }

  private static String finalValue(String printFlagsFinal, String flag) {
    Matcher m =
        Pattern.compile("^\\s*\\S+\\s+" + flag + "\\s+= (\\S+)", Pattern.MULTILINE)
            .matcher(printFlagsFinal);
    return m.find() ? m.group(1) : "(" + flag + " not printed)";
  }

  private String launch(Path launcher, String javaOpts) throws Exception {
    Path out = dir.resolve("launcher.out");
    ProcessBuilder builder =
        new ProcessBuilder(List.of(launcher.toString(), "--help"))
            .directory(dir.toFile()) // not the jar's directory: the launcher must find it itself
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("JAVA_OPTS", javaOpts);
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher exits").isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
