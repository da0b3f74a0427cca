package dev.sigstream.oci.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body handler that reads at most {@code max} bytes. A declared {@code Content-Length} above the cap is refused
 * before reading; an undeclared or lying length is cut off as soon as the cap is passed, so a hostile registry cannot
 * make us buffer an unbounded body.
 */
final class CappedBody {

  /** Thrown (as the body's failure) when a body exceeds the cap. */
  static final class OversizeException extends IOException {
    private static final long serialVersionUID = 1L;

    OversizeException(final String msg) {
      super(msg);
    }
  }

  private CappedBody() {}

  static HttpResponse.BodyHandler<byte[]> handler(final long max) {
    return info -> {
      final long declared = RegistryHeaders.contentLength(info.headers().firstValue("content-length").orElse(null),
          -1);
      return new Subscriber(max, declared);
    };
  }

  private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final long max;
    private final long declared;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    Subscriber(final long max, final long declared) {
      this.max = max;
      this.declared = declared;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(final Flow.Subscription s) {
      subscription = s;
      if (declared > max) {
        s.cancel();
        result.completeExceptionally(new OversizeException("declared Content-Length " + declared
            + " exceeds the cap of " + max + " bytes"));
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(final List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (out.size() + (long) b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(new OversizeException("body exceeds the cap of " + max + " bytes"));
          return;
        }
        final byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(final Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
