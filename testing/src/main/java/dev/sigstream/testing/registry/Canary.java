package dev.sigstream.testing.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback listener that records every connection it receives (and the first line sent on it), then closes it. A
 * hostile registry points redirects, token realms and {@code Link} targets here: a test asserts that the client under
 * test, which must only contact allowlisted hosts, never connected.
 */
public final class Canary implements AutoCloseable {

  /** One connection: when it arrived and the first request line, if any arrived within a second. */
  public record Connection(long atMillis, String firstLine) {}

  private final ServerSocket socket;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

  private Canary() throws IOException {
    socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "canary-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static Canary start() {
    try {
      return new Canary();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the canary listener", e);
    }
  }

  /** {@code 127.0.0.1:port}: a host a client under test is never allowed to contact. */
  public String host() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  public String url() {
    return "http://" + host();
  }

  /** Connections accepted so far (counted on accept, before anything is read). */
  public int count() {
    return accepted.get();
  }

  /** Every connection received so far, with its first line. */
  public List<Connection> connections() {
    return List.copyOf(connections);
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        accepted.incrementAndGet();
        s.setSoTimeout(1000);
        String line = "";
        try {
          final InputStream in = s.getInputStream();
          final StringBuilder b = new StringBuilder();
          int c;
          while (b.length() < 200 && (c = in.read()) >= 0 && c != '\n') {
            b.append((char) c);
          }
          line = b.toString().trim();
        } catch (IOException e) {
          // recorded without a first line
        }
        connections.add(new Connection(System.currentTimeMillis(), new String(line.getBytes(StandardCharsets.ISO_8859_1),
            StandardCharsets.ISO_8859_1)));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing
    }
  }
}
