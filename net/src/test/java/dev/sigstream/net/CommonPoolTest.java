package dev.sigstream.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On a 2-processor JVM, default-executor tasks of CompletableFuture run on pooled threads, not a thread each. */
class CommonPoolTest {

  @Test
  void twoProcessorsGetAPooledDefaultExecutor() throws Exception {
    assertThat(probe(true)).startsWith("ForkJoinPool.commonPool-worker-");
  }

  @Test
  void withoutItTheJdkStartsAThreadPerTask() throws Exception {
    // The control: what every sendAsync completion cost on such a machine before.
    assertThat(probe(false)).startsWith("Thread-");
  }

  @Test
  void anExplicitSettingIsKept() {
    final String before = System.getProperty(CommonPool.PROPERTY);
    try {
      System.setProperty(CommonPool.PROPERTY, "7");
      CommonPool.ensureParallelism();
      assertThat(System.getProperty(CommonPool.PROPERTY)).isEqualTo("7");
    } finally {
      if (before == null) {
        System.clearProperty(CommonPool.PROPERTY);
      } else {
        System.setProperty(CommonPool.PROPERTY, before);
      }
    }
  }

  /** The name of the thread a default-executor task ran on, in a fresh JVM that sees 2 processors. */
  private static String probe(final boolean ensure) throws IOException, InterruptedException {
    final String java = ProcessHandle.current().info().command().orElse("java");
    final Process p = new ProcessBuilder(List.of(java, "-XX:ActiveProcessorCount=2", "-cp",
        System.getProperty("java.class.path"), Probe.class.getName(), Boolean.toString(ensure)))
        .redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** The child JVM's main. */
  public static final class Probe {
    public static void main(final String[] args) {
      if (Boolean.parseBoolean(args[0])) {
        CommonPool.ensureParallelism();
      }
      System.out.println(CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).join());
    }
  }
}
