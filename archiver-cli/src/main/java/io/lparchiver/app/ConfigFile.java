package io.lparchiver.app;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE} of every command that works on a deployment, and its loading. */
final class ConfigFile {

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Path of lp-archiver.yaml.")
  Path path;

  /** The validated configuration, with {@code ${ENV}} references resolved from the environment. */
  ArchiverConfig load() {
    return ConfigLoader.fromSystem().load(path);
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
