package dev.sigstream.notary.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A JDK {@code HttpClient} body handler that collects a 200 response into bytes and fails as soon as the body, or
 * its declared {@code Content-Length}, exceeds a cap; any other status gets an empty body (callers report the
 * status). Used by the OCSP/CRL fetcher and the TSA client, so a misbehaving responder cannot exhaust memory
 * within the request's deadline. The JDK offers no capped handler ({@code ofByteArray} buffers everything), hence
 * these few lines. Not part of the API (ArchitectureTest keeps it inside notary).
 */
public final class CappedBody {

  private CappedBody() {}

  /**
   * @param cap the most bytes accepted
   * @param what names the response in the error, e.g. "OCSP response"
   */
  public static HttpResponse.BodyHandler<byte[]> handler(final long cap, final String what) {
    return info -> {
      if (info.statusCode() != 200) {
        return HttpResponse.BodySubscribers.replacing(new byte[0]);
      }
      final long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
      return new Subscriber(declared > cap ? -1 : cap, cap, what);
    };
  }

  /** Collects a response body, failing as soon as it exceeds the cap (cap &lt; 0: fail at once). */
  private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final long cap;
    private final long limit;
    private final String what;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    Subscriber(final long cap, final long limit, final String what) {
      this.cap = cap;
      this.limit = limit;
      this.what = what;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(final Flow.Subscription s) {
      this.subscription = s;
      if (cap < 0) {
        s.cancel();
        result.completeExceptionally(tooLarge());
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(final List<ByteBuffer> items) {
      for (final ByteBuffer b : items) {
        if (result.isDone()) {
          return;
        }
        if ((long) buf.size() + b.remaining() > cap) {
          subscription.cancel();
          result.completeExceptionally(tooLarge());
          return;
        }
        final byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buf.write(chunk, 0, chunk.length);
      }
    }

    private IOException tooLarge() {
      return new IOException(what + " too large: larger than " + limit + " bytes");
    }

    @Override
    public void onError(final Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buf.toByteArray());
    }
  }
}
