package io.lparchiver.connect.sink;

import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a topic partition's state lives: {@code {state.dir}/{topic}-{partition}}. A conversation's
 * key always hashes to the same partition, so its versions and copies are all in one ledger, and
 * the state's writer lock lets only the task that owns the partition write it.
 */
public final class PartitionLedger {

  private PartitionLedger() {}

  public static Path dir(Path stateDir, TopicPartition partition) {
    return stateDir.resolve(partition.topic() + "-" + partition.partition());
  }
}
