package dev.sigstream.signing.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import reactor.core.publisher.Mono;

/**
 * TLS for loopback fakes (the Azure SDK sends bearer tokens over https only): a self-signed certificate for {@code
 * localhost} and {@code 127.0.0.1} in a PKCS#12 key store for WireMock, and an {@link SSLContext} that trusts exactly
 * that certificate (no trust-all), for the client under test.
 */
public final class LoopbackTls {

  public static final String PASSWORD = "loopback";

  private final Path keyStore;
  private final SSLContext clientContext;

  private LoopbackTls(final Path keyStore, final SSLContext clientContext) {
    this.keyStore = keyStore;
    this.clientContext = clientContext;
  }

  public static LoopbackTls create(final Path dir) throws Exception {
    final KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    final KeyPair kp = g.generateKeyPair();
    final Instant now = Instant.now();
    final X500Name dn = new X500Name("CN=localhost");
    final JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(dn, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), dn, kp.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    final X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    final KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", kp.getPrivate(), PASSWORD.toCharArray(), new X509Certificate[] {cert});
    final Path file = dir.resolve("loopback-tls.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, PASSWORD.toCharArray());
    }
    final KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", cert);
    final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    final SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return new LoopbackTls(file, ctx);
  }

  public Path keyStore() {
    return keyStore;
  }

  public SSLContext clientContext() {
    return clientContext;
  }

  /** An Azure HTTP client (the JDK one, as in production) that trusts the loopback certificate. */
  public com.azure.core.http.HttpClient httpClient(final Duration requestTimeout) {
    return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(clientContext))
        .connectionTimeout(requestTimeout).responseTimeout(requestTimeout).readTimeout(requestTimeout).build();
  }

  /**
   * A connection for tests: {@code credential}, this TLS, quick retries, and Key Vault's challenge-resource check off
   * (the fake vault is {@code localhost}, not a subdomain of the resource it names).
   */
  public AzureConnection connection(final TokenCredential credential, final Duration operationTimeout) {
    return new AzureConnection(credential, httpClient(Duration.ofSeconds(10)), 3, Duration.ofMillis(20),
        Duration.ofSeconds(5), operationTimeout, false);
  }

  /** A credential that hands out one fixed token and records the scopes it was asked for. */
  public static final class FixedCredential implements TokenCredential {
    public final String token;
    public final List<String> scopes = new CopyOnWriteArrayList<>();

    public FixedCredential(final String token) {
      this.token = token;
    }

    @Override
    public Mono<AccessToken> getToken(final com.azure.core.credential.TokenRequestContext request) {
      scopes.addAll(request.getScopes());
      return Mono.just(new AccessToken(token, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
    }
  }
}
