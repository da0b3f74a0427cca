package dev.sigstream.bench.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking HTTP/1.1 keep-alive client, one connection per load thread, in the spirit of wrk: it writes a
 * request in one segment and reads the status line, headers and a {@code Content-Length} body. Hand-written because
 * the JDK {@code HttpClient} costs more CPU per request than the server under test on a 2-core machine (measured:
 * about 1,400 trivial GETs/s), so it would measure itself. Load generation only; never used by Sigstream.
 */
public final class KeepAliveClient implements AutoCloseable {

  private final String host;
  private final int port;
  private Socket socket;
  private byte[] lastBody = new byte[0];
  private OutputStream out;
  private InputStream in;

  public KeepAliveClient(final String host, final int port) {
    this.host = host;
    this.port = port;
  }

  /** Sends one request and returns the status code; reconnects once if the server closed the connection. */
  public int send(final String method, final String path, final String[] headers, final byte[] body) throws IOException {
    final StringBuilder b = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
        .append(host).append(':').append(port).append("\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      b.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    b.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    final byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
    final byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    try {
      connect();
      out.write(request);
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      connect();
      out.write(request);
      out.flush();
      return readResponse();
    }
  }

  private void connect() throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5000);
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 8192);
    }
  }

  private int readResponse() throws IOException {
    final String status = line();
    if (status.length() < 12) {
      throw new IOException("bad status line: " + status);
    }
    final int code = Integer.parseInt(status.substring(9, 12));
    int length = 0;
    boolean close = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      final int colon = h.indexOf(':');
      final String name = h.substring(0, colon).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Integer.parseInt(h.substring(colon + 1).trim());
      } else if (name.equalsIgnoreCase("Connection") && h.substring(colon + 1).trim().equalsIgnoreCase("close")) {
        close = true;
      }
    }
    lastBody = in.readNBytes(length);
    if (lastBody.length < length) {
      throw new IOException("connection closed mid-body");
    }
    if (close) {
      close();
    }
    return code;
  }

  /** The body of the last response. */
  public byte[] lastBody() {
    return lastBody;
  }

  private String line() throws IOException {
    final StringBuilder b = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }
}
