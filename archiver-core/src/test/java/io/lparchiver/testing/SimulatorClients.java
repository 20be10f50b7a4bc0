package io.lparchiver.testing;

import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SimulatorCredentials;
import io.lparchiver.source.liveperson.AllowedHosts;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.source.liveperson.LivePersonSettings;
import io.lparchiver.source.liveperson.OAuth1Credentials;
import io.lparchiver.source.liveperson.RetryPolicy;
import java.time.Clock;

/** LivePerson clients of a test's simulator. */
public final class SimulatorClients {

  private SimulatorClients() {}

  /** A client of {@code sim}'s account with the demo credentials, allowed to reach loopback. */
  public static LivePersonClient demo(LivePersonSimulator sim, RetryPolicy policy) {
    SimulatorCredentials k = SimulatorCredentials.demo();
    return LivePersonClient.create(
        new LivePersonSettings(
            sim.account(),
            sim.domainApiUri(),
            new OAuth1Credentials(k.consumerKey(), k.consumerSecret(), k.token(), k.tokenSecret()),
            "lp-archiver-test",
            policy,
            AllowedHosts.of("127.0.0.1")),
        Clock.systemUTC());
  }
}
