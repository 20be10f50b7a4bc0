package io.lparchiver.app;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --out FILE} of the export commands: standard output when it is not given. */
final class OutputFile {

  @Option(
      names = {"--out", "--output"},
      description = "Write to this file instead of standard output.")
  Path path;

  /** What writes the export; returns what it wrote, for the summary. */
  @FunctionalInterface
  interface Export<T> {
    T writeTo(Writer out) throws IOException;
  }

  /**
   * Runs {@code export} into the file or standard output; for a file, says on standard error what
   * was written ({@code summary} of the export's result), as standard output may be the data.
   */
  <T> T write(CommandSpec spec, Export<T> export, Function<T, String> summary) throws IOException {
    Writer out =
        path == null
            ? spec.commandLine().getOut()
            : new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8);
    T written;
    try {
      written = export.writeTo(out);
    } finally {
      out.flush();
      if (path != null) {
        out.close();
      }
    }
    if (path != null) {
      spec.commandLine().getErr().println("Wrote " + path + " (" + summary.apply(written) + ")");
    }
    return written;
  }
}
