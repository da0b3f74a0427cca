package dev.sigstream.oci.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.auth.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The native per-artifact deadline of {@link OciRegistryHttpClient#within}: every exchange capped by the time left,
 * nothing sent after it, in-flight exchanges cancelled (connection closed) when it passes, pagination cut.
 * Timings are printed; only generous upper bounds are asserted.
 */
@Tag("integration")
@Timeout(60)
class DeadlineIT {

  private static final Digest SUBJECT = Digest.sha256("subject".getBytes(StandardCharsets.UTF_8));

  /** Accepts connections, reads what the client sends, never answers; records when the client closes. */
  private static final class SilentServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger accepted = new AtomicInteger();
    final CountDownLatch closedByClient = new CountDownLatch(1);

    SilentServer() throws IOException {
      final Thread t = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            final Socket s = socket.accept();
            accepted.incrementAndGet();
            new Thread(() -> {
              try (s; InputStream in = s.getInputStream()) {
                while (in.read() >= 0) {
                  // swallow the request, answer nothing
                }
                closedByClient.countDown();
              } catch (IOException e) {
                closedByClient.countDown(); // reset by the client: closed as well
              }
            }).start();
          } catch (IOException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    String host() {
      return "127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static OciRegistryHttpClient client(final String host, final Duration requestTimeout) {
    return OciRegistryHttpClient.create(RegistryConfig.of(java.util.List.of(RegistryEntry.insecure(host,
        Credentials.ANONYMOUS)), Limits.DEFAULTS.withRequestTimeout(requestTimeout)), Clock.systemUTC());
  }

  @Test
  void silentServer_requestEndsAtTheDeadline_andTheConnectionIsClosed() throws Exception {
    try (SilentServer server = new SilentServer()) {
      // Given: a 30 s request timeout, a 1 s deadline
      final OciRegistryHttpClient c = client(server.host(), Duration.ofSeconds(30));
      final long t0 = System.nanoTime();

      // When
      final FetchResult<Manifest> r = c.within(Deadline.after(Duration.ofSeconds(1)))
          .manifest(Reference.parse(server.host() + "/repo@" + SUBJECT)).get(20, TimeUnit.SECONDS);
      final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

      // Then
      System.out.println("silent server: result after " + ms + " ms (deadline 1000 ms): " + r.describe());
      assertThat(r).isInstanceOf(FetchResult.Unavailable.class);
      assertThat(((FetchResult.Unavailable<Manifest>) r).deadlineExceeded()).isTrue();
      assertThat(ms).isLessThan(5_000);
      assertThat(server.closedByClient.await(10, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
      System.out.println("silent server: connection closed by the client "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms after the start");
    }
  }

  @Test
  void passedDeadline_nothingIsSent() throws Exception {
    try (SilentServer server = new SilentServer()) {
      final Deadline d = Deadline.after(Duration.ofMillis(1));
      Thread.sleep(20);

      final FetchResult<Manifest> r = client(server.host(), Duration.ofSeconds(30)).within(d)
          .manifest(Reference.parse(server.host() + "/repo:tag")).get(5, TimeUnit.SECONDS);

      assertThat(r).isInstanceOf(FetchResult.Unavailable.class);
      assertThat(((FetchResult.Unavailable<Manifest>) r).deadlineExceeded()).isTrue();
      Thread.sleep(200);
      assertThat(server.accepted.get()).isZero();
    }
  }

  @Test
  void endlessReferrerPages_stopAtTheDeadline() throws Exception {
    try (StubServer registry = new StubServer()) {
      // Given: every page slow (300 ms, well within the 10 s request timeout) and always a next page
      final AtomicInteger pages = new AtomicInteger();
      registry.on("GET", "/v2/repo/referrers/" + SUBJECT, ex -> {
        final int n = pages.incrementAndGet();
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.getResponseHeaders().set("Link", "</v2/repo/referrers/" + SUBJECT + "?page=" + n + ">; rel=\"next\"");
        StubServer.send(ex, 200, "application/vnd.oci.image.index.v1+json",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}");
      });
      final OciRegistryHttpClient c = client(registry.host(), Duration.ofSeconds(10));
      final long t0 = System.nanoTime();

      // When: a 1.5 s deadline
      final FetchResult<Referrers> r = c.within(Deadline.after(Duration.ofMillis(1500)))
          .referrers(Reference.parse(registry.host() + "/repo@" + SUBJECT), null).get(20, TimeUnit.SECONDS);
      final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

      // Then
      System.out.println("endless referrers: " + pages.get() + " pages, result after " + ms + " ms (deadline 1500 ms)");
      assertThat(r).isInstanceOf(FetchResult.Unavailable.class);
      assertThat(((FetchResult.Unavailable<Referrers>) r).deadlineExceeded()).isTrue();
      assertThat(ms).isLessThan(6_000);
      assertThat(pages.get()).isBetween(2, 10);
    }
  }

  @Test
  void tokenEndpointThatNeverAnswers_isBoundedByTheDeadlineToo() throws Exception {
    try (StubServer registry = new StubServer(); SilentServer realm = new SilentServer()) {
      registry.on("GET", "/v2/repo/manifests/tag", ex -> {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + realm.host()
            + "/token\",service=\"s\"");
        StubServer.send(ex, 401, "application/json", "{}");
      });
      final RegistryEntry e = RegistryEntry.insecure(registry.host(), Credentials.ANONYMOUS)
          .withRedirectHosts(java.util.Set.of(realm.host()));
      final OciRegistryHttpClient c = OciRegistryHttpClient.create(RegistryConfig.of(java.util.List.of(e),
          Limits.DEFAULTS.withRequestTimeout(Duration.ofSeconds(30))), Clock.systemUTC());
      final long t0 = System.nanoTime();

      final FetchResult<Manifest> r = c.within(Deadline.after(Duration.ofSeconds(1)))
          .manifest(Reference.parse(registry.host() + "/repo:tag")).get(20, TimeUnit.SECONDS);
      final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

      System.out.println("silent token realm: result after " + ms + " ms (deadline 1000 ms): " + r.describe());
      assertThat(realm.accepted.get()).isEqualTo(1);
      assertThat(r).isInstanceOf(FetchResult.Unavailable.class);
      assertThat(((FetchResult.Unavailable<Manifest>) r).deadlineExceeded()).isTrue();
      assertThat(ms).isLessThan(5_000);
    }
  }

  @Test
  void unboundClient_keepsThePerRequestTimeout() throws Exception {
    try (SilentServer server = new SilentServer()) {
      final FetchResult<Manifest> r = client(server.host(), Duration.ofMillis(500))
          .manifest(Reference.parse(server.host() + "/repo:tag")).get(20, TimeUnit.SECONDS);

      assertThat(r).isInstanceOf(FetchResult.Unavailable.class);
      assertThat(((FetchResult.Unavailable<Manifest>) r).deadlineExceeded()).isFalse();
      assertThat(r.describe()).contains("timed out after 500 ms");
    }
  }
}
