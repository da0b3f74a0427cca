package dev.sigstream.verifier.api;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@code POST /v1/admission/gatekeeper} on Jetty's core API, in front of Javalin's servlet; every other
 * request goes on to Javalin. {@link GatekeeperProvider} holds all of admission's logic; this class only reads the
 * capped body and writes the answer.
 *
 * <p>Why: admission sits in the path of every pod a cluster starts, and its latency tail is set by GC pauses on a
 * small node. Through Javalin each answer allocated a fresh 32 KiB copy buffer (Javalin's default response buffer,
 * {@code JavalinServlet.writeResponseAndLog}): over half of the service's allocation under admission load (JFR
 * allocation samples), on top of the servlet layer's own per-request cost. See docs/benchmarks.md.
 */
final class AdmissionJettyHandler extends Handler.Wrapper {

  private final GatekeeperProvider gatekeeper;

  AdmissionJettyHandler(final GatekeeperProvider gatekeeper) {
    this.gatekeeper = gatekeeper;
  }

  @Override
  public boolean handle(final Request request, final Response response, final Callback callback) throws Exception {
    if (!"POST".equals(request.getMethod()) || !VerdictApi.ADMISSION_PATH.equals(Request.getPathInContext(request))) {
      return super.handle(request, response, callback);
    }
    final GatekeeperProvider.Answer answer;
    if (request.getLength() > GatekeeperProvider.MAX_BODY) {
      // Declared too long: refused before a byte of it is read.
      answer = GatekeeperProvider.tooLarge();
    } else {
      final byte[] body;
      try (InputStream in = Request.asInputStream(request)) {
        body = in.readNBytes(GatekeeperProvider.MAX_BODY + 1);
      }
      answer = gatekeeper.answer(body);
    }
    final byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
    response.setStatus(answer.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }
}
