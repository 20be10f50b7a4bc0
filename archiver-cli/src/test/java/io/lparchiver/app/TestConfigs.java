package io.lparchiver.app;

import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import java.time.Instant;

/** The demo's configuration against a test's own LivePerson simulator, for the CLI tests. */
final class TestConfigs {

  private TestConfigs() {}

  /**
   * The demo YAML for {@code sim} with its demo credentials, the Maildir under {@code ./archive},
   * state under {@code ./state} (both relative to the config file) and the backfill from {@code
   * backfillFrom}.
   */
  static String demo(LivePersonSimulator sim, Instant backfillFrom) {
    return DemoCommand.configYaml(
        sim, SimulatorCredentials.demo(), "./archive", "./state", "", backfillFrom);
  }
}
