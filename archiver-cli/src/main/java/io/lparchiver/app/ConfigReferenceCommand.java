package io.lparchiver.app;

import io.lparchiver.config.ConfigReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code config-reference}: prints the configuration reference (the source of
 * docs/configuration.md).
 */
@Command(
    name = "config-reference",
    mixinStandardHelpOptions = true,
    description = "Prints every configuration key with its type, default and meaning, as Markdown.")
final class ConfigReferenceCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(ConfigReference.markdown());
    spec.commandLine().getOut().flush();
    return Main.OK;
  }
}
