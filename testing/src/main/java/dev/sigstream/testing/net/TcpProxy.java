package dev.sigstream.testing.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of a real server, for what a test cannot get from loopback itself: distance (every
 * chunk is delivered {@code oneWayDelay} after it was read, in each direction, so a request/response costs two delays
 * more, like a registry in another region) and outages ({@link #stop()} refuses and cuts every connection;
 * {@link #start()} listens on the same port again).
 *
 * <p>Hand-written rather than a library (Toxiproxy needs its own server process): it is a few dozen lines, and
 * delivery time is measured from when each chunk was read, so pipelined chunks are not delayed twice.
 */
public final class TcpProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final Duration oneWayDelay;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  private record Chunk(long dueNanos, byte[] bytes) {}

  private static final Chunk EOF = new Chunk(0, new byte[0]);

  /** A proxy on a free loopback port, not listening yet ({@link #start()}): its address is known before. */
  public TcpProxy(final String targetHostPort, final Duration oneWayDelay) {
    final int colon = targetHostPort.lastIndexOf(':');
    this.target = new InetSocketAddress(targetHostPort.substring(0, colon),
        Integer.parseInt(targetHostPort.substring(colon + 1)));
    this.oneWayDelay = oneWayDelay;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:port}, as a registry host. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** Starts listening (again). */
  public synchronized TcpProxy start() {
    if (server != null) {
      return this;
    }
    try {
      final ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
      server = s;
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot listen on " + host(), e);
    }
    final ServerSocket s = server;
    daemon("tcp-proxy-accept-" + port, () -> {
      while (!s.isClosed()) {
        try {
          final Socket client = s.accept();
          final Socket upstream = new Socket();
          upstream.connect(target, 5000);
          client.setTcpNoDelay(true);
          upstream.setTcpNoDelay(true);
          open.add(client);
          open.add(upstream);
          pipe(client, upstream);
          pipe(upstream, client);
        } catch (final IOException e) {
          // Closed by stop(), or a client that went away: nothing to forward.
        }
      }
    });
    return this;
  }

  /** The outage: stops listening and cuts every open connection. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    closeQuietly(server);
    server = null;
    open.forEach(TcpProxy::closeQuietly);
    open.clear();
  }

  @Override
  public void close() {
    stop();
  }

  private void pipe(final Socket from, final Socket to) throws IOException {
    final InputStream in = from.getInputStream();
    final OutputStream out = to.getOutputStream();
    final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    final long delay = oneWayDelay.toNanos();
    daemon("tcp-proxy-read", () -> {
      final byte[] buf = new byte[64 << 10];
      try {
        for (int n; (n = in.read(buf)) >= 0;) {
          queue.add(new Chunk(System.nanoTime() + delay, Arrays.copyOf(buf, n)));
        }
      } catch (final IOException e) {
        // Cut: the writer closes its side.
      }
      queue.add(EOF);
    });
    daemon("tcp-proxy-write", () -> {
      try {
        for (Chunk c; (c = queue.take()) != EOF;) {
          final long wait = c.dueNanos() - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          out.write(c.bytes());
          out.flush();
        }
        to.shutdownOutput();
      } catch (final IOException | InterruptedException e) {
        closeQuietly(from);
        closeQuietly(to);
      } finally {
        open.remove(from);
      }
    });
  }

  private static void daemon(final String name, final Runnable r) {
    final Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(final java.io.Closeable c) {
    try {
      c.close();
    } catch (final IOException e) {
      // closing anyway
    }
  }
}
