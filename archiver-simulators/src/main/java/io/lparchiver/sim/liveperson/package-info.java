/**
 * A faithful LivePerson simulator on 127.0.0.1 (see {@code reference/liveperson-api.md}).
 *
 * <p>Entry point: {@link io.lparchiver.sim.liveperson.LivePersonSimulator}. Data: {@link
 * io.lparchiver.sim.liveperson.SeededDataSet}. Faults: {@link io.lparchiver.sim.liveperson.Faults}.
 *
 * <p>Deliberately independent of archiver-core: the OAuth 1.0a verification and the paging rules
 * here are a second implementation that the core client is tested against.
 *
 * <p>Unconfirmed against a real account, and chosen here: the error body shape; the container keys
 * {@code link} and {@code form} (and {@code file} for IMG); the shape of {@code skillChanges} and
 * {@code unAuthSdes}; {@code "to":-1} meaning now; 92 days as the "3 months" cap; rejecting valid
 * but unsimulated search filters with 400; 403 for a key used on another account; ETag equal to
 * {@code ac-revision} without quotes.
 */
package io.lparchiver.sim.liveperson;
