package dev.sigstream.net;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JVM's default TLS context, initialised on first use. A JDK {@link java.net.http.HttpClient} asks for its
 * context (and that context's default parameters) when it is built, which loads the whole TLS stack and reads the
 * CA certificates file: about 180 classes and a noticeable part of a short CLI command's start-up, paid even when
 * every registry is plain HTTP. This context defers all of it to the first TLS connection, which then gets exactly
 * {@link SSLContext#getDefault()} (its trust store, protocols and cipher suites). Used only together with
 * {@link #parameters()}, which keeps the client from asking for the default parameters up front.
 *
 * <p>Shared by oci's registry client and notary's revocation fetcher (which by the specification fetches only
 * {@code http} URLs, so it never initialises TLS at all).
 */
public final class LazyTls extends SSLContext {

  private LazyTls() {
    super(new Spi(), null, "Default");
  }

  public static SSLContext context() {
    return new LazyTls();
  }

  /**
   * Parameters that leave protocols and cipher suites unset: an engine then keeps the default context's own
   * defaults, the same ones {@link SSLContext#getDefaultSSLParameters()} would have listed. The client still sets
   * host-name verification and ALPN on each connection.
   */
  public static SSLParameters parameters() {
    return new SSLParameters();
  }

  private static final class Spi extends SSLContextSpi {
    private volatile SSLContext delegate;

    private SSLContext delegate() {
      SSLContext d = delegate;
      if (d == null) {
        synchronized (this) {
          d = delegate;
          if (d == null) {
            try {
              d = SSLContext.getDefault();
            } catch (final NoSuchAlgorithmException e) {
              throw new IllegalStateException("no default TLS context", e);
            }
            delegate = d;
          }
        }
      }
      return d;
    }

    @Override
    protected void engineInit(final KeyManager[] km, final TrustManager[] tm, final SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("the default TLS context cannot be re-initialised");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return delegate().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return delegate().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return delegate().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(final String host, final int port) {
      return delegate().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return delegate().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate().getSupportedSSLParameters();
    }
  }
}
