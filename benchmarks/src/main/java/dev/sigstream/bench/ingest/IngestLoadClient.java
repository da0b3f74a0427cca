package dev.sigstream.bench.ingest;

import dev.sigstream.bench.JvmFigures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of {@link IngestLoadGenerator}: closed-loop callers over keep-alive connections, phase after
 * phase (bare {@code GET /healthz}, then single-event Distribution webhooks). Runs as its own JVM process by default, so the
 * server's JVM (ingest, producer, broker) shares neither heap, GC nor JIT threads with the load; the two processes
 * still share the machine's cores, and the client's CPU is reported beside the server's.
 *
 * <p>Protocol on stdout, one line each: {@code WARMUP <phase>} when the webhooks' warm-up starts, {@code WARM <phase>
 * <seconds warmed> <window seconds> <client JIT ms in the window>} after each warm-up window (the generator answers
 * {@code GO} or {@code MORE} on stdin: it sees the server JVM's JIT), {@code MEASURE <phase>} when a measured phase
 * starts, {@code RESULT <phase> <ok> <failed> <seconds> <p50 ms> <p99 ms> <client cpu ns>} when it ends, and
 * finally {@code TOTAL <accepted webhooks including warm-up>}.
 *
 * <p>Run by the generator: {@code IngestLoadClient <seconds> <webhook warm-up cap or length, seconds> <fixed: true|false>
 * <callers> <first sequence number> <name|port|path>...}.
 */
public final class IngestLoadClient {

  static final String AUTH = "Bearer bench-token-0123456789";
  static final String V1 = "application/vnd.docker.distribution.events.v1+json";
  private static final byte[] ACCEPTED_ONE = "{\"accepted\":1,".getBytes(StandardCharsets.US_ASCII);

  private IngestLoadClient() {}

  record Result(long ok, long failed, double seconds, long[] latenciesNanos, long cpuNanos) {
    double rate() {
      return ok / seconds;
    }

    double percentileMillis(final double p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      final int i = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p / 100.0 * latenciesNanos.length) - 1);
      return latenciesNanos[Math.max(0, i)] / 1e6;
    }

    String line(final String phase) {
      return String.format(Locale.ROOT, "RESULT %s %d %d %.6f %.4f %.4f %d", phase, ok, failed, seconds,
          percentileMillis(50), percentileMillis(99), cpuNanos);
    }
  }

  /** Parsed {@code RESULT} line: the percentiles come as printed. */
  record Reported(long ok, long failed, double seconds, double p50, double p99, long cpuNanos) {
    double rate() {
      return ok / seconds;
    }

    static Reported parse(final String line) {
      final String[] f = line.trim().split(" ");
      return new Reported(Long.parseLong(f[2]), Long.parseLong(f[3]), Double.parseDouble(f[4]),
          Double.parseDouble(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]));
    }

    static Reported of(final Result r) {
      return new Reported(r.ok(), r.failed(), r.seconds(), r.percentileMillis(50), r.percentileMillis(99), r.cpuNanos());
    }
  }

  interface Call {
    boolean run(long n) throws Exception;
  }

  /**
   * Decides, after each warm-up window of the webhook phase, whether the JIT has settled and the measured phase may
   * start. Given the phase, the warm-up so far and the window's length in seconds, and this (client) JVM's
   * compilation time during the window.
   */
  interface Settled {
    boolean settled(String phase, int warmedSeconds, int windowSeconds, long clientJitMillis) throws IOException;
  }

  /** The warm-up rule: fixed length, or windows until the JIT has settled (both JVMs), at most {@code seconds}. */
  record Warmup(int seconds, boolean fixed) {
    /** Length of one warm-up window: the JIT's rate is judged per window. */
    static final int WINDOW_SECONDS = 5;
    /** Settled: compilation below this many ms per second of warm-up (summed over the JIT's threads)... */
    static final int JIT_MS_PER_SECOND = 50;
    /** ...in this many consecutive windows, in the server's and the client's JVM alike. */
    static final int QUIET_WINDOWS = 2;

    String describe() {
      return fixed ? seconds + " s (fixed)"
          : String.format(Locale.ROOT, "until the JIT settles (< %d ms compilation per second in %d consecutive %d s windows, "
              + "server and client JVM), at most %d s", JIT_MS_PER_SECOND, QUIET_WINDOWS, WINDOW_SECONDS, seconds);
    }
  }

  public static void main(final String[] args) throws Exception {
    final int seconds = Integer.parseInt(args[0]);
    final Warmup warmup = new Warmup(Integer.parseInt(args[1]), Boolean.parseBoolean(args[2]));
    final int callers = Integer.parseInt(args[3]);
    final long first = Long.parseLong(args[4]);
    final List<String> phases = List.of(args).subList(5, args.length);
    // The generator (server JVM) answers each WARM line with GO or MORE on our stdin: it sees the server's JIT.
    final BufferedReader answers = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    final Settled askServer = (phase, warmed, window, jit) -> {
      System.out.println("WARM " + phase + " " + warmed + " " + window + " " + jit);
      System.out.flush();
      final String answer = answers.readLine();
      if (answer == null) {
        throw new IOException("the generator closed the control channel");
      }
      return answer.trim().equals("GO");
    };
    final long accepted = runAll(phases, seconds, warmup, callers, new AtomicLong(first), System.out, askServer);
    System.out.println("TOTAL " + accepted);
    System.out.flush();
  }

  /**
   * Runs each phase ({@code name|port|path}: GET when the name starts with {@code get}, else POST of a fresh
   * webhook) with its warm-up; returns the webhooks of the phase named {@code post} answered 200 with accepted=1, warm-up included.
   */
  static long runAll(final List<String> phases, final int seconds, final Warmup warmup, final int callers,
      final AtomicLong seq, final PrintStream out, final Settled settled) throws InterruptedException, IOException {
    final String[] headers = {"User-Agent", "Go-http-client/1.1", "Authorization", AUTH, "Content-Type", V1,
        "Accept-Encoding", "gzip"};
    final AtomicLong acceptedWebhooks = new AtomicLong();
    for (final String phase : phases) {
      final String[] f = phase.split("\\|");
      final String name = f[0];
      final int port = Integer.parseInt(f[1]);
      final String path = f[2];
      final ThreadLocal<KeepAliveClient> clients = ThreadLocal.withInitial(() -> new KeepAliveClient("127.0.0.1", port));
      final boolean ingest = path.startsWith("/v1/events/");
      final boolean counted = name.equals("post");
      final Call call = name.startsWith("get")
          ? n -> clients.get().send("GET", path, new String[0], new byte[0]) == 200
          : n -> {
            final KeepAliveClient c = clients.get();
            final boolean ok = c.send("POST", path, headers, webhook(n).getBytes(StandardCharsets.UTF_8)) == 200
                && (!ingest || startsWith(c.lastBody(), ACCEPTED_ONE));
            if (ok && counted) {
              acceptedWebhooks.incrementAndGet();
            }
            return ok;
          };
      // The webhook path is much more code for the JIT than a GET (Jackson, Avro, the producer, the broker's side):
      // its own warm-up, so that the figure is the steady state a long-running server has.
      if (counted) {
        out.println("WARMUP " + name);
        out.flush();
        warmUp(call, callers, seq, warmup, (warmed, window, jit) -> settled.settled(name, warmed, window, jit));
      } else {
        run(call, callers, Math.max(3, seconds / 2), seq);
      }
      out.println("MEASURE " + name);
      out.flush();
      out.println(run(call, callers, seconds, seq).line(name));
      out.flush();
    }
    return acceptedWebhooks.get();
  }

  /** One warm-up window's verdict: settled or not, given the warm-up so far, the window and this JVM's JIT ms in it. */
  interface Window {
    boolean settled(int warmedSeconds, int windowSeconds, long jitMillis) throws IOException;
  }

  /**
   * Runs {@code call} for {@code warmup}: its fixed length, or window after window until {@code window} says the JIT
   * has settled or the cap is reached. Returns the seconds warmed.
   */
  static int warmUp(final Call call, final int callers, final AtomicLong seq, final Warmup warmup, final Window window)
      throws InterruptedException, IOException {
    if (warmup.fixed()) {
      run(call, callers, warmup.seconds(), seq);
      window.settled(warmup.seconds(), warmup.seconds(), 0);
      return warmup.seconds();
    }
    int warmed = 0;
    while (warmed < warmup.seconds()) {
      final int w = Math.min(Warmup.WINDOW_SECONDS, warmup.seconds() - warmed);
      final long jit0 = JvmFigures.now().jitMillis();
      run(call, callers, w, seq);
      warmed += w;
      if (window.settled(warmed, w, JvmFigures.now().jitMillis() - jit0)) {
        break;
      }
    }
    return warmed;
  }

  private static boolean startsWith(final byte[] body, final byte[] prefix) {
    return body.length >= prefix.length && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
  }

  static Result run(final Call call, final int concurrency, final int seconds, final AtomicLong seq) throws InterruptedException {
    final long cpu0 = JvmFigures.now().cpuNanos();
    final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final List<long[]> perThread = new ArrayList<>();
    final int[] counts = new int[concurrency];
    final CountDownLatch done = new CountDownLatch(concurrency);
    final long t0 = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      final long[] lat = new long[2_000_000 / concurrency + 1];
      perThread.add(lat);
      final int idx = t;
      final Thread th = new Thread(() -> {
        int k = 0;
        try {
          while (System.nanoTime() < end) {
            final long n = seq.incrementAndGet();
            final long s = System.nanoTime();
            boolean success;
            try {
              success = call.run(n);
            } catch (Exception e) {
              success = false;
            }
            if (success) {
              ok.incrementAndGet();
              if (k < lat.length) {
                lat[k++] = System.nanoTime() - s;
              }
            } else {
              failed.incrementAndGet();
            }
          }
        } finally {
          counts[idx] = k;
          done.countDown();
        }
      }, "load-" + t);
      th.start();
    }
    done.await();
    final double took = (System.nanoTime() - t0) / 1e9;
    final long cpu = JvmFigures.now().cpuNanos() - cpu0;
    int total = 0;
    for (final int c : counts) {
      total += c;
    }
    final long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < concurrency; t++) {
      System.arraycopy(perThread.get(t), 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    return new Result(ok.get(), failed.get(), took, all, cpu);
  }

  /**
   * One Distribution {@code events.v1+json} envelope with one manifest push, unique per {@code n}: the shape, field
   * order and indentation of a real {@code docker-registry} delivery (about 1.5 KB, with the manifest's
   * references), with a fresh event id, request id and digest.
   */
  static String webhook(final long n) {
    final String digest = hex64(n);
    return "{\n   \"events\": [\n      {\n         \"id\": \"bench-" + n + "\",\n"
        + "         \"timestamp\": \"2026-11-25T02:31:30.579829317Z\",\n         \"action\": \"push\",\n"
        + "         \"target\": {\n            \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n"
        + "            \"size\": 394,\n            \"digest\": \"sha256:" + digest + "\",\n            \"length\": 394,\n"
        + "            \"repository\": \"bench/app\",\n"
        + "            \"url\": \"http://127.0.0.1:5000/v2/bench/app/manifests/sha256:" + digest + "\",\n"
        + "            \"tag\": \"v1\",\n            \"references\": [\n               {\n"
        + "                  \"mediaType\": \"application/vnd.oci.image.config.v1+json\",\n                  \"size\": 78,\n"
        + "                  \"digest\": \"sha256:c5b1d63604f273462ef36fadac3182d43ae6a6138731cf594b314835cf1c034f\"\n"
        + "               },\n               {\n"
        + "                  \"mediaType\": \"application/vnd.oci.image.layer.v1.tar\",\n                  \"size\": 11,\n"
        + "                  \"digest\": \"sha256:f7c29f8fe34e77a4bc879afe7d1d475c3baa4d20111562eb65a4753a3630f37f\"\n"
        + "               }\n            ]\n         },\n"
        + "         \"request\": {\n            \"id\": \"req-" + n + "\",\n            \"addr\": \"127.0.0.1:52630\",\n"
        + "            \"host\": \"127.0.0.1:5000\",\n            \"method\": \"PUT\",\n"
        + "            \"useragent\": \"docker/27.0.3 go/go1.22.5 git-commit/662f78c kernel/6.1.0 os/linux arch/amd64\"\n"
        + "         },\n         \"actor\": {},\n         \"source\": {\n            \"addr\": \"registry:5000\",\n"
        + "            \"instanceID\": \"78caeaac-5f45-4820-84b6-589a309b497b\"\n         }\n      }\n   ]\n}";
  }

  static String hex64(final long n) {
    final String h = Long.toHexString(n);
    return "0".repeat(64 - h.length()) + h;
  }
}
