package dev.sigstream.testing.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A Distribution-compatible token server on loopback: {@code GET /token?service=…&scope=…} with HTTP Basic
 * credentials returns an RS256 JWT carrying its self-signed certificate in {@code x5c}; the registry trusts that
 * certificate through {@code auth.token.rootcertbundle}. Requests without valid credentials get 401.
 */
final class TokenServer implements AutoCloseable {

  static final String SERVICE = "sigstream-test-registry";
  static final String ISSUER = "sigstream-test-token-issuer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final KeyPair keys;
  private final X509Certificate cert;
  private final String username;
  private final String password;
  private final AtomicInteger requests = new AtomicInteger();

  TokenServer(final String username, final String password) throws IOException {
    this.username = username;
    this.password = password;
    try {
      final KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      keys = g.generateKeyPair();
      final Instant now = Instant.now();
      final X500Name name = new X500Name("CN=sigstream test token issuer");
      cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
          BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
          Date.from(now.plus(1, ChronoUnit.DAYS)), name, keys.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the token signing key", e);
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      final Thread t = new Thread(r, "test-token-server");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  String realm() {
    return "http://" + hostPort() + "/token";
  }

  int requests() {
    return requests.get();
  }

  /** Writes the PEM bundle the registry verifies token signatures with. */
  void writeRootBundle(final Path file) throws IOException {
    try {
      final String pem = "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
      Files.writeString(file, pem);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot encode certificate", e);
    }
  }

  private void token(final HttpExchange ex) throws IOException {
    try (ex) {
      requests.incrementAndGet();
      final String auth = ex.getRequestHeaders().getFirst("Authorization");
      final String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
      if (!expected.equals(auth)) {
        send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
        return;
      }
      final List<String> scopes = new ArrayList<>();
      final String q = ex.getRequestURI().getRawQuery();
      if (q != null) {
        for (String p : q.split("&")) {
          final int eq = p.indexOf('=');
          if (eq > 0 && "scope".equals(p.substring(0, eq))) {
            scopes.add(URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      }
      final long now = Instant.now().getEpochSecond();
      final ObjectNode claims = JSON.createObjectNode();
      claims.put("iss", ISSUER);
      claims.put("sub", username);
      claims.put("aud", SERVICE);
      claims.put("exp", now + 300);
      claims.put("nbf", now - 10);
      claims.put("iat", now);
      claims.put("jti", UUID.randomUUID().toString());
      final ArrayNode access = claims.putArray("access");
      for (String s : scopes) {
        for (String one : s.split(" ")) {
          // repository:<name>:<actions>; the name may contain ':'? No: repository names cannot.
          final String[] parts = one.split(":");
          if (parts.length == 3) {
            final ObjectNode a = access.addObject();
            a.put("type", parts[0]);
            a.put("name", parts[1]);
            final ArrayNode actions = a.putArray("actions");
            for (String act : parts[2].split(",")) {
              actions.add(act);
            }
          }
        }
      }
      final String jwt = sign(claims);
      send(ex, 200, "{\"token\":\"" + jwt + "\",\"access_token\":\"" + jwt + "\",\"expires_in\":300}");
    } catch (GeneralSecurityException e) {
      throw new IOException("token signing failed", e);
    }
  }

  private String sign(final ObjectNode claims) throws GeneralSecurityException, IOException {
    final ObjectNode header = JSON.createObjectNode();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
    final Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    final String input = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
        + b64.encodeToString(JSON.writeValueAsBytes(claims));
    final Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(keys.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64.encodeToString(s.sign());
  }

  private static void send(final HttpExchange ex, final int status, final String body) throws IOException {
    final byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
