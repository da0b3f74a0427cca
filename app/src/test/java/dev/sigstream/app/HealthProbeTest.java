package dev.sigstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

  @Test
  void exitsZeroOn2xx_oneOtherwise_andProbesLoopbackOnly() throws Exception {
    final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/readyz", x -> {
      x.sendResponseHeaders(200, 5);
      x.getResponseBody().write("ready".getBytes());
      x.close();
    });
    server.createContext("/starting", x -> {
      x.sendResponseHeaders(503, 8);
      x.getResponseBody().write("starting".getBytes());
      x.close();
    });
    server.start();
    try {
      final String base = "http://127.0.0.1:" + server.getAddress().getPort();
      assertThat(HealthProbe.probe(new String[] {base + "/readyz"})).isZero();
      assertThat(HealthProbe.probe(new String[] {base + "/starting"})).isEqualTo(1);
    } finally {
      server.stop(0);
    }
    assertThat(HealthProbe.probe(new String[] {"http://127.0.0.1:1/readyz"})).isEqualTo(1);
    assertThat(HealthProbe.probe(new String[] {"http://example.com/readyz"})).isEqualTo(2);
    assertThat(HealthProbe.probe(new String[] {})).isEqualTo(2);
  }
}
