package io.lparchiver.testing;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * Direct (off-heap) memory kept by writing: a {@code FileChannel} write of a heap array goes
 * through a direct buffer of its whole size, which the JDK keeps for the writing thread. Work run
 * on a fresh thread starts without such a buffer, so the growth it leaves is its own.
 */
public final class DirectMemory {

  private DirectMemory() {}

  /** How much the direct buffer pool grew while {@code work} ran on a fresh thread. */
  public static long grownBy(Callable<?> work) throws Exception {
    FutureTask<Long> growth =
        new FutureTask<>(
            () -> {
              long before = used();
              work.call();
              return used() - before;
            });
    new Thread(growth).start();
    return growth.get(); // rethrows what the work threw
  }

  private static long used() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(p -> p.getName().equals("direct"))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }
}
