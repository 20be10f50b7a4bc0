package io.lparchiver.deliver.imap;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.Receipt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The copies that wait for a mailbox while its appends are under way go in the next command
 * together, within its limits, and each lane gets its own copy's outcome.
 */
class GroupedAppendsTest {

  private static final Mailbox ANN = new Mailbox("ann@brand.example");

  @Test
  void copiesThatWaitWhileOneIsSentGoTogetherInTheNextCommandsUpToTheirCount() throws Exception {
    Map<String, Receipt> receipts = new ConcurrentHashMap<>();
    List<List<String>> batches =
        firstHeldThenFiveMore(new GroupedAppends(1, 3, Long.MAX_VALUE), receipts);

    assertThat(batches).extracting(List::size).containsExactly(1, 3, 2);
    assertThat(batches.get(0)).containsExactly("c0");
    assertThat(batches.subList(1, 3).stream().flatMap(List::stream))
        .containsExactlyInAnyOrder("c1", "c2", "c3", "c4", "c5");
    for (int i = 0; i <= 5; i++) {
      assertThat(receipts.get("c" + i).key().conversationId()).isEqualTo("c" + i);
    }
  }

  @Test
  void aBatchKeepsToItsSize() throws Exception {
    ArchiveEmail probe = email(key("c9", 1), "body c9"); // the size of each copy sent
    Map<String, Receipt> receipts = new ConcurrentHashMap<>();
    List<List<String>> batches =
        firstHeldThenFiveMore(new GroupedAppends(1, 16, 2 * probe.size()), receipts);

    assertThat(batches).extracting(List::size).containsExactly(1, 2, 2, 1);
    assertThat(receipts).hasSize(6);
  }

  /**
   * Appends c0 and holds its command until c1..c5 wait behind it, then lets them go; returns the
   * conversation ids of each command sent, in order.
   */
  private static List<List<String>> firstHeldThenFiveMore(
      GroupedAppends appends, Map<String, Receipt> receipts) throws Exception {
    List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch firstSending = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    GroupedAppends.Sender sender =
        batch -> {
          batches.add(batch.stream().map(c -> c.email.key().conversationId()).toList());
          if (batches.size() == 1) {
            firstSending.countDown();
            await(releaseFirst);
          }
          return batch.stream().map(c -> GroupedAppends.Outcome.of(receipt(c.email))).toList();
        };
    ExecutorService lanes = Executors.newFixedThreadPool(6);
    List<Future<?>> done = new ArrayList<>();
    done.add(lanes.submit(() -> deliver(appends, sender, "c0", receipts)));
    assertThat(firstSending.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 5; i++) {
      String id = "c" + i;
      done.add(lanes.submit(() -> deliver(appends, sender, id, receipts)));
    }
    awaitWaiting(appends, 5);
    releaseFirst.countDown();
    for (Future<?> f : done) {
      f.get(10, TimeUnit.SECONDS);
    }
    lanes.shutdown();
    return batches;
  }

  @Test
  void aFailedCommandFailsEveryCopyInItWithItsReason() throws DeliveryException {
    GroupedAppends appends = new GroupedAppends(1, 16, Long.MAX_VALUE);
    DeliveryException lost = new DeliveryException("connection lost mid-answer", true);
    assertThatThrownBy(
            () ->
                appends.append(
                    ANN.address(),
                    email(key("c1", 1), "x"),
                    null,
                    batch -> {
                      throw lost;
                    }))
        .isSameAs(lost);
    // the mailbox's slot is free again
    assertThat(
            appends
                .append(
                    ANN.address(),
                    email(key("c2", 1), "y"),
                    null,
                    batch -> List.of(GroupedAppends.Outcome.of(receipt(batch.get(0).email))))
                .key()
                .conversationId())
        .isEqualTo("c2");
  }

  private static Void deliver(
      GroupedAppends appends, GroupedAppends.Sender sender, String id, Map<String, Receipt> out)
      throws DeliveryException {
    out.put(id, appends.append(ANN.address(), email(key(id, 1), "body " + id), null, sender));
    return null;
  }

  private static Receipt receipt(ArchiveEmail email) {
    return new Receipt(ANN, email.key(), "1:" + email.key().conversationId(), false);
  }

  private static void awaitWaiting(GroupedAppends appends, int count) throws InterruptedException {
    for (int i = 0; i < 1_000 && appends.waiting(ANN.address()) < count; i++) {
      Thread.sleep(10);
    }
    assertThat(appends.waiting(ANN.address())).isEqualTo(count);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the first command");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
