package dev.sigstream.notary.envelope;

import static dev.sigstream.notary.Fixtures.CLOCK;
import static dev.sigstream.notary.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notary.Check;
import dev.sigstream.notary.CheckResult;
import dev.sigstream.notary.Fixtures;
import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.ReasonCode;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.VerificationResult;
import dev.sigstream.notary.revocation.OcspCrlRevocationChecker;
import dev.sigstream.notary.revocation.RevocationFetcher;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.timestamp.BcTimestampVerifier;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import dev.sigstream.testing.pki.TsaSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A negative corpus of crafted envelopes, each built from a valid one made with the test PKI, each asserting the
 * reason code of the failure. Every envelope is re-signed where needed so that the rule under test is the one
 * that fails, not the signature.
 */
class NegativeCorpusTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  static final String SUBJECT = "CN=signer,O=Sigstream,ST=WA,C=US";
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "12".repeat(32), 777);
  static final String REF = "registry.example/corpus/app@" + TARGET.digest();

  static final TestPki PKI = TestPki.start(CLOCK);
  static final Ca ROOT = PKI.root("CN=Corpus Root,O=Sigstream,C=US", KeyType.EC_P384);
  static final Ca CA = ROOT.intermediate("CN=Corpus CA,O=Sigstream,C=US", KeyType.EC_P256);
  static final Issued EC = CA.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256));
  static final Issued RSA = CA.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.RSA_3072));
  static final Tsa TSA = PKI.tsa();
  static final Map<URI, Ca> CAS = new LinkedHashMap<>();

  static {
    CAS.put(ROOT.ocspUrl(), ROOT);
    CAS.put(ROOT.crlUrl(), ROOT);
    CAS.put(CA.ocspUrl(), CA);
    CAS.put(CA.crlUrl(), CA);
  }

  /** The test PKI's real OCSP responder and CRL publisher, called in process (no sockets). */
  static final RevocationFetcher IN_PROCESS = new RevocationFetcher() {
    @Override
    public byte[] fetchCrl(final URI uri) throws IOException {
      final Ca ca = CAS.get(uri);
      if (ca == null) {
        throw new IOException("no route to " + uri);
      }
      return ca.crl();
    }

    @Override
    public byte[] ocsp(final URI responder, final byte[] request) throws IOException {
      final Ca ca = CAS.get(responder);
      if (ca == null) {
        throw new IOException("no route to " + responder);
      }
      return ca.ocspResponse(request);
    }
  };

  static NotaryVerifier verifier(final String verifyTimestamp) {
    return verifier(verifyTimestamp, "[\"ca:corpus\",\"signingAuthority:corpus\",\"tsa:corpus\"]");
  }

  static NotaryVerifier verifier(final String verifyTimestamp, final String stores) {
    final String policy = Fixtures.policy("*", "strict", null, stores,
        "[\"x509.subject:C=US,ST=WA,O=Sigstream\"]", verifyTimestamp);
    final TrustStore store = TrustStore.of(Map.of(
        TrustStoreType.CA, Map.of("corpus", List.of(ROOT.certificate())),
        TrustStoreType.SIGNING_AUTHORITY, Map.of("corpus", List.of(ROOT.certificate())),
        TrustStoreType.TSA, Map.of("corpus", List.of(TSA.rootCertificate()))));
    return Fixtures.verifier(policy, store)
        .revocationChecker(new OcspCrlRevocationChecker(IN_PROCESS, CLOCK))
        .timestampVerifier(new BcTimestampVerifier(CLOCK, Fixtures.revocation(RevocationStatus.OK)))
        .build();
  }

  static final NotaryVerifier AFTER_EXPIRY = verifier("afterCertExpiry");
  static final NotaryVerifier ALWAYS = verifier("always");
  /** No tsa store: every certificate must be valid now. */
  static final NotaryVerifier NO_TSA = verifier(null, "[\"ca:corpus\",\"signingAuthority:corpus\"]");

  static void noTsa(final String name, final ReasonCode expected, final Issued signer, final Consumer<Jws> j,
      final Consumer<Cose> c) {
    CASES.add(new Case("jws: " + name, Headers.MEDIA_TYPE_JWS, new Jws(signer).with(j).build(), expected, NO_TSA,
        TARGET, Map.of()));
    CASES.add(new Case("cose: " + name, Headers.MEDIA_TYPE_COSE, new Cose(signer).with(c).build(), expected, NO_TSA,
        TARGET, Map.of()));
  }

  @AfterAll
  static void close() {
    PKI.close();
  }

  /** Index of the unused-bits byte of a certificate's outer signature BIT STRING (short or 1-byte length), or -1. */
  static int lastBitString(final byte[] der) {
    for (int i = der.length - 3; i >= 0; i--) {
      final int len = der[i + 1] & 0xFF;
      if (der[i] == 0x03 && len < 0x80 && i + 2 + len == der.length) {
        return i + 2;
      }
      if (der[i] == 0x03 && len == 0x81 && i + 3 < der.length && i + 3 + (der[i + 2] & 0xFF) == der.length) {
        return i + 3;
      }
    }
    return -1;
  }

  // ------------------------------------------------------------------------------------------- builders

  static byte[] payload(final TargetDescriptor t) {
    return new Payload(t.mediaType(), t.digest(), t.size(), null, Map.of()).toJson();
  }

  static byte[] sign(final PrivateKey key, final SignatureAlgorithm alg, final byte[] data) {
    try {
      return new LocalSigningKey(key, EC.chain()).sign(data, alg);
    } catch (final Exception e) {
      // e.g. PS256 with an EC key: the signature is garbage on purpose
      return new byte[] {1, 2, 3, 4};
    }
  }

  static List<byte[]> der(final List<X509Certificate> chain) {
    return chain.stream().map(c -> {
      try {
        return c.getEncoded();
      } catch (final Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  static String b64u(final byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A JWS under construction: every part can be altered before or after signing. */
  static final class Jws {
    final ObjectNode ph = JSON.createObjectNode();
    byte[] payload = payload(TARGET);
    List<byte[]> chain;
    PrivateKey key;
    SignatureAlgorithm signAlg;
    UnaryOperator<String> protectedB64 = s -> s;
    UnaryOperator<String> payloadB64 = s -> s;
    UnaryOperator<String> sigB64 = s -> s;
    Function<byte[], byte[]> sig = s -> s;
    Consumer<ObjectNode> header = h -> { };
    Consumer<ObjectNode> root = r -> { };
    byte[] signedPayload; // when set, the signature covers this payload instead
    byte[] token;

    Jws(final Issued signer) {
      chain = der(signer.chain());
      key = signer.privateKey();
      signAlg = SignatureAlgorithm.forKey(signer.publicKey()).orElse(SignatureAlgorithm.PS256);
      ph.put("alg", signAlg.jwsName());
      ph.put("cty", Headers.PAYLOAD_MEDIA_TYPE);
      ph.putArray("crit").add(Headers.SIGNING_SCHEME);
      ph.put(Headers.SIGNING_SCHEME, "notary.x509");
      ph.put(Headers.SIGNING_TIME, RFC3339.format(NOW.minusSeconds(3600)));
    }

    Jws with(final Consumer<Jws> c) {
      c.accept(this);
      return this;
    }

    byte[] build() {
      try {
        final String p = protectedB64.apply(b64u(JSON.writeValueAsBytes(ph)));
        final String pl = payloadB64.apply(b64u(payload));
        final String signedPl = signedPayload == null ? pl : b64u(signedPayload);
        final byte[] s = sig.apply(sign(key, signAlg, (p + "." + signedPl).getBytes(StandardCharsets.US_ASCII)));
        final ObjectNode r = JSON.createObjectNode();
        r.put("payload", pl);
        r.put("protected", p);
        final ObjectNode h = r.putObject("header");
        final ArrayNode x5c = h.putArray("x5c");
        chain.forEach(c -> x5c.add(Base64.getEncoder().encodeToString(c)));
        if (token != null) {
          h.put(Headers.TIMESTAMP_SIGNATURE, Base64.getEncoder().encodeToString(token));
        }
        header.accept(h);
        r.put("signature", sigB64.apply(b64u(s)));
        root.accept(r);
        return JSON.writeValueAsBytes(r);
      } catch (final IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A COSE_Sign1 under construction. Labels are Integer or String; values are CBOR writers. */
  static final class Cose {
    final LinkedHashMap<Object, Consumer<CborWriter>> prot = new LinkedHashMap<>();
    final LinkedHashMap<Object, Consumer<CborWriter>> unprot = new LinkedHashMap<>();
    byte[] payload = payload(TARGET);
    PrivateKey key;
    SignatureAlgorithm signAlg;
    Function<byte[], byte[]> sig = s -> s;
    Function<byte[], byte[]> protectedBytes = b -> b;
    byte[] signedProtected; // when set, the signature covers these protected bytes instead
    byte[] signedPayload;
    Function<Parts, byte[]> frame = Parts::standard;

    record Parts(byte[] prot, byte[] unprot, byte[] payload, byte[] sig) {
      byte[] standard() {
        return new CborWriter().tag(18).array(4).bytes(prot).raw(unprot).bytes(payload).bytes(sig).toByteArray();
      }
    }

    Cose(final Issued signer) {
      key = signer.privateKey();
      signAlg = SignatureAlgorithm.forKey(signer.publicKey()).orElse(SignatureAlgorithm.PS256);
      prot.put(1, w -> w.integer(signAlg.coseId()));
      prot.put(2, w -> w.array(1).text(Headers.SIGNING_SCHEME));
      prot.put(3, w -> w.text(Headers.PAYLOAD_MEDIA_TYPE));
      prot.put(Headers.SIGNING_SCHEME, w -> w.text("notary.x509"));
      prot.put(Headers.SIGNING_TIME, w -> w.tag(1).integer(NOW.minusSeconds(3600).getEpochSecond()));
      final List<byte[]> chain = der(signer.chain());
      unprot.put(33, w -> {
        w.array(chain.size());
        chain.forEach(w::bytes);
      });
    }

    Cose with(final Consumer<Cose> c) {
      c.accept(this);
      return this;
    }

    static byte[] map(final Map<Object, Consumer<CborWriter>> m) {
      final CborWriter w = new CborWriter().map(m.size());
      m.forEach((k, v) -> {
        if (k instanceof Integer i) {
          w.integer(i);
        } else {
          w.text((String) k);
        }
        v.accept(w);
      });
      return w.toByteArray();
    }

    byte[] build() {
      final byte[] p = protectedBytes.apply(map(prot));
      final byte[] s = sig.apply(sign(key, signAlg, CborWriter.sigStructure(
          signedProtected != null ? signedProtected : p, signedPayload != null ? signedPayload : payload)));
      return frame.apply(new Parts(p, map(unprot), payload, s));
    }
  }

  record Case(String name, String mediaType, byte[] envelope, ReasonCode expected, NotaryVerifier verifier,
      TargetDescriptor target, Map<String, String> metadata) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Case> CASES = new ArrayList<>();

  static void jws(final String name, final ReasonCode expected, final byte[] env) {
    CASES.add(new Case("jws: " + name, Headers.MEDIA_TYPE_JWS, env, expected, AFTER_EXPIRY, TARGET, Map.of()));
  }

  static void cose(final String name, final ReasonCode expected, final byte[] env) {
    CASES.add(new Case("cose: " + name, Headers.MEDIA_TYPE_COSE, env, expected, AFTER_EXPIRY, TARGET, Map.of()));
  }

  static void both(final String name, final ReasonCode expected, final Issued signer, final Consumer<Jws> j,
      final Consumer<Cose> c) {
    jws(name, expected, new Jws(signer).with(j).build());
    cose(name, expected, new Cose(signer).with(c).build());
  }

  static void add(final Case c) {
    CASES.add(c);
  }

  static Issued leaf(final UnaryOperator<CertSpec> spec) {
    return CA.leaf(spec.apply(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256)));
  }

  static byte[] sha256(final byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] nested(final int depth, final boolean json) {
    if (json) {
      return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
    }
    final CborWriter w = new CborWriter();
    for (int i = 0; i < depth; i++) {
      w.array(1);
    }
    return w.integer(0).toByteArray();
  }

  static {
    // ---- algorithm confusion
    both("alg none", ReasonCode.ALGORITHM_UNSUPPORTED, EC, j -> j.ph.put("alg", "none"),
        c -> c.prot.put(1, w -> w.integer(-65535)));
    jws("alg HS256 (HMAC)", ReasonCode.ALGORITHM_UNSUPPORTED, new Jws(EC).with(j -> j.ph.put("alg", "HS256")).build());
    jws("alg RS256", ReasonCode.ALGORITHM_UNSUPPORTED, new Jws(RSA).with(j -> j.ph.put("alg", "RS256")).build());
    jws("alg lower-case es256", ReasonCode.ALGORITHM_UNSUPPORTED, new Jws(EC).with(j -> j.ph.put("alg", "es256")).build());
    jws("alg missing", ReasonCode.ALGORITHM_UNSUPPORTED, new Jws(EC).with(j -> j.ph.remove("alg")).build());
    jws("alg not a string", ReasonCode.ALGORITHM_UNSUPPORTED, new Jws(EC).with(j -> j.ph.put("alg", -7)).build());
    cose("alg as text", ReasonCode.ALGORITHM_UNSUPPORTED, new Cose(EC).with(c -> c.prot.put(1, w -> w.text("ES256"))).build());
    cose("alg RS256 (-257)", ReasonCode.ALGORITHM_UNSUPPORTED, new Cose(RSA).with(c -> c.prot.put(1, w -> w.integer(-257))).build());
    cose("alg missing", ReasonCode.ALGORITHM_UNSUPPORTED, new Cose(EC).with(c -> c.prot.remove(1)).build());
    cose("alg under text label \"1\"", ReasonCode.ALGORITHM_UNSUPPORTED, new Cose(EC).with(c -> {
      c.prot.remove(1);
      c.prot.put("1", w -> w.integer(-7));
    }).build());
    both("ES384 declared for a P-256 key", ReasonCode.ALGORITHM_KEY_MISMATCH, EC, j -> {
      j.signAlg = SignatureAlgorithm.ES384;
      j.ph.put("alg", "ES384");
    }, c -> {
      c.signAlg = SignatureAlgorithm.ES384;
      c.prot.put(1, w -> w.integer(-35));
    });
    both("PS256 declared for an EC key", ReasonCode.ALGORITHM_KEY_MISMATCH, EC, j -> j.ph.put("alg", "PS256"),
        c -> c.prot.put(1, w -> w.integer(-37)));
    both("PS256 declared for an RSA-3072 key", ReasonCode.ALGORITHM_KEY_MISMATCH, RSA, j -> {
      j.signAlg = SignatureAlgorithm.PS256;
      j.ph.put("alg", "PS256");
    }, c -> {
      c.signAlg = SignatureAlgorithm.PS256;
      c.prot.put(1, w -> w.integer(-37));
    });
    both("ES256 declared for an RSA key", ReasonCode.ALGORITHM_KEY_MISMATCH, RSA, j -> j.ph.put("alg", "ES256"),
        c -> c.prot.put(1, w -> w.integer(-7)));

    // ---- crit rules
    both("crit missing", ReasonCode.CRITICAL_HEADER_MISSING, EC, j -> j.ph.remove("crit"), c -> c.prot.remove(2));
    both("crit empty", ReasonCode.CRITICAL_HEADER_MISSING, EC, j -> j.ph.putArray("crit"), c -> c.prot.put(2, w -> w.array(0)));
    both("crit lists an absent header", ReasonCode.CRITICAL_HEADER_UNKNOWN, EC,
        j -> ((ArrayNode) j.ph.get("crit")).add("io.example.absent"),
        c -> c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).text("io.example.absent")));
    both("unknown critical header present", ReasonCode.CRITICAL_HEADER_UNKNOWN, EC, j -> {
      ((ArrayNode) j.ph.get("crit")).add("io.example.mustUnderstand");
      j.ph.put("io.example.mustUnderstand", "x");
    }, c -> {
      c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).text("io.example.mustUnderstand"));
      c.prot.put("io.example.mustUnderstand", w -> w.text("x"));
    });
    jws("crit lists registered alg", ReasonCode.CRITICAL_HEADER_UNKNOWN,
        new Jws(EC).with(j -> ((ArrayNode) j.ph.get("crit")).add("alg")).build());
    cose("crit lists integer label 1", ReasonCode.CRITICAL_HEADER_UNKNOWN,
        new Cose(EC).with(c -> c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).integer(1))).build());
    both("signingScheme not in crit", ReasonCode.CRITICAL_HEADER_MISSING, EC, j -> {
      j.ph.putArray("crit").add(Headers.EXPIRY);
      j.ph.put(Headers.EXPIRY, RFC3339.format(NOW.plusSeconds(86400)));
    }, c -> {
      c.prot.put(2, w -> w.array(1).text(Headers.EXPIRY));
      c.prot.put(Headers.EXPIRY, w -> w.tag(1).integer(NOW.plusSeconds(86400).getEpochSecond()));
    });
    both("expiry not in crit", ReasonCode.CRITICAL_HEADER_MISSING, EC,
        j -> j.ph.put(Headers.EXPIRY, RFC3339.format(NOW.plusSeconds(86400))),
        c -> c.prot.put(Headers.EXPIRY, w -> w.tag(1).integer(NOW.plusSeconds(86400).getEpochSecond())));
    both("authenticSigningTime not in crit", ReasonCode.CRITICAL_HEADER_MISSING, EC, j -> {
      j.ph.put(Headers.SIGNING_SCHEME, "notary.x509.signingAuthority");
      j.ph.remove(Headers.SIGNING_TIME);
      j.ph.put(Headers.AUTHENTIC_SIGNING_TIME, RFC3339.format(NOW.minusSeconds(60)));
    }, c -> {
      c.prot.put(Headers.SIGNING_SCHEME, w -> w.text("notary.x509.signingAuthority"));
      c.prot.remove(Headers.SIGNING_TIME);
      c.prot.put(Headers.AUTHENTIC_SIGNING_TIME, w -> w.tag(1).integer(NOW.minusSeconds(60).getEpochSecond()));
    });
    both("verificationPlugin not in crit", ReasonCode.CRITICAL_HEADER_MISSING, EC,
        j -> j.ph.put(Headers.VERIFICATION_PLUGIN, "p"), c -> c.prot.put(Headers.VERIFICATION_PLUGIN, w -> w.text("p")));
    jws("crit duplicate entry", ReasonCode.ENVELOPE_MALFORMED,
        new Jws(EC).with(j -> ((ArrayNode) j.ph.get("crit")).add(Headers.SIGNING_SCHEME)).build());
    jws("crit not an array", ReasonCode.ENVELOPE_MALFORMED,
        new Jws(EC).with(j -> j.ph.put("crit", Headers.SIGNING_SCHEME)).build());

    // ---- content type
    both("wrong cty", ReasonCode.CONTENT_TYPE_INVALID, EC, j -> j.ph.put("cty", "application/json"),
        c -> c.prot.put(3, w -> w.text("application/json")));
    both("cty missing", ReasonCode.CONTENT_TYPE_INVALID, EC, j -> j.ph.remove("cty"), c -> c.prot.remove(3));
    jws("cty with different case", ReasonCode.CONTENT_TYPE_INVALID,
        new Jws(EC).with(j -> j.ph.put("cty", "application/vnd.cncf.notary.payload.V1+json")).build());
    cose("cty as CoAP integer", ReasonCode.CONTENT_TYPE_INVALID, new Cose(EC).with(c -> c.prot.put(3, w -> w.integer(50))).build());

    // ---- signing scheme and times
    both("unknown signing scheme", ReasonCode.SIGNING_SCHEME_INVALID, EC,
        j -> j.ph.put(Headers.SIGNING_SCHEME, "notary.x509.v2"),
        c -> c.prot.put(Headers.SIGNING_SCHEME, w -> w.text("notary.x509.v2")));
    jws("signing scheme not a string", ReasonCode.SIGNING_SCHEME_INVALID,
        new Jws(EC).with(j -> j.ph.put(Headers.SIGNING_SCHEME, 1)).build());
    both("x509 scheme with authenticSigningTime", ReasonCode.SIGNING_TIME_INVALID, EC, j -> {
      j.ph.put(Headers.AUTHENTIC_SIGNING_TIME, RFC3339.format(NOW.minusSeconds(60)));
      ((ArrayNode) j.ph.get("crit")).add(Headers.AUTHENTIC_SIGNING_TIME);
    }, c -> {
      c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).text(Headers.AUTHENTIC_SIGNING_TIME));
      c.prot.put(Headers.AUTHENTIC_SIGNING_TIME, w -> w.tag(1).integer(NOW.minusSeconds(60).getEpochSecond()));
    });
    both("x509 scheme without signingTime", ReasonCode.SIGNING_TIME_INVALID, EC, j -> j.ph.remove(Headers.SIGNING_TIME),
        c -> c.prot.remove(Headers.SIGNING_TIME));
    both("signingAuthority scheme with signingTime", ReasonCode.SIGNING_TIME_INVALID, EC, j -> {
      j.ph.put(Headers.SIGNING_SCHEME, "notary.x509.signingAuthority");
      j.ph.put(Headers.AUTHENTIC_SIGNING_TIME, RFC3339.format(NOW.minusSeconds(60)));
      ((ArrayNode) j.ph.get("crit")).add(Headers.AUTHENTIC_SIGNING_TIME);
    }, c -> {
      c.prot.put(Headers.SIGNING_SCHEME, w -> w.text("notary.x509.signingAuthority"));
      c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).text(Headers.AUTHENTIC_SIGNING_TIME));
      c.prot.put(Headers.AUTHENTIC_SIGNING_TIME, w -> w.tag(1).integer(NOW.minusSeconds(60).getEpochSecond()));
    });
    jws("signingTime not RFC 3339", ReasonCode.SIGNING_TIME_INVALID,
        new Jws(EC).with(j -> j.ph.put(Headers.SIGNING_TIME, "2025-12-31 23:00:00")).build());
    jws("signingTime as a number", ReasonCode.SIGNING_TIME_INVALID,
        new Jws(EC).with(j -> j.ph.put(Headers.SIGNING_TIME, 1767222000)).build());
    cose("signingTime without tag 1", ReasonCode.SIGNING_TIME_INVALID,
        new Cose(EC).with(c -> c.prot.put(Headers.SIGNING_TIME, w -> w.integer(1767222000))).build());
    cose("signingTime with tag 0 (date string)", ReasonCode.SIGNING_TIME_INVALID,
        new Cose(EC).with(c -> c.prot.put(Headers.SIGNING_TIME, w -> w.tag(0).text("2025-12-31T23:00:00Z"))).build());
    cose("signingTime tag 1 around a string", ReasonCode.SIGNING_TIME_INVALID,
        new Cose(EC).with(c -> c.prot.put(Headers.SIGNING_TIME, w -> w.tag(1).text("1767222000"))).build());
    both("expiry before signing time", ReasonCode.SIGNING_TIME_INVALID, EC, j -> {
      ((ArrayNode) j.ph.get("crit")).add(Headers.EXPIRY);
      j.ph.put(Headers.EXPIRY, RFC3339.format(NOW.minusSeconds(7200)));
    }, c -> {
      c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).text(Headers.EXPIRY));
      c.prot.put(Headers.EXPIRY, w -> w.tag(1).integer(NOW.minusSeconds(7200).getEpochSecond()));
    });

    // ---- base64 and JSON framing (JWS)
    jws("padded payload", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.payloadB64 = s -> s + "=").build());
    jws("padded protected header", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.protectedB64 = s -> s + "==").build());
    jws("padded signature", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.sigB64 = s -> s + "=").build());
    jws("standard-alphabet signature", ReasonCode.ENVELOPE_MALFORMED,
        new Jws(EC).with(j -> j.sigB64 = s -> s.substring(0, s.length() - 2) + "+/").build());
    jws("non-canonical base64url signature", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.sigB64 = s -> {
      // 64-byte R||S encodes to 86 chars: the last char carries 4 unused bits; set one of them.
      final char last = s.charAt(s.length() - 1);
      return s.substring(0, s.length() - 1) + (char) (last == 'A' ? 'B' : last + 1);
    }).build());
    jws("whitespace in payload", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.payloadB64 = s -> s.substring(0, 4) + " " + s.substring(4)).build());
    jws("extra top-level member", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.root = r -> r.put("unprotected", "x")).build());
    jws("general serialization", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.root = r -> r.putArray("signatures")).build());
    jws("payload not a string", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.root = r -> r.put("payload", 5)).build());
    jws("missing signature member", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.root = r -> r.remove("signature")).build());
    jws("missing header member", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.root = r -> r.remove("header")).build());
    jws("protected header not JSON", ReasonCode.ENVELOPE_MALFORMED,
        new Jws(EC).with(j -> j.protectedB64 = s -> b64u("not json".getBytes(StandardCharsets.US_ASCII))).build());
    jws("protected header a JSON array", ReasonCode.ENVELOPE_MALFORMED,
        new Jws(EC).with(j -> j.protectedB64 = s -> b64u("[1]".getBytes(StandardCharsets.US_ASCII))).build());
    jws("protected header with duplicate alg", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.protectedB64 = s -> {
      final String json = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
      return b64u(("{\"alg\":\"ES384\"," + json.substring(1)).getBytes(StandardCharsets.UTF_8));
    }).build());
    jws("signed x5c in protected header", ReasonCode.ENVELOPE_MALFORMED,
        new Jws(EC).with(j -> j.ph.putArray("x5c").add("AAAA")).build());
    jws("signed jwk in protected header", ReasonCode.ENVELOPE_MALFORMED,
        new Jws(EC).with(j -> j.ph.putObject("jwk").put("kty", "EC")).build());
    jws("duplicate payload member", ReasonCode.ENVELOPE_MALFORMED, dupPayload(new Jws(EC).build()));
    jws("trailing garbage after the JSON object", ReasonCode.ENVELOPE_MALFORMED,
        concat(new Jws(EC).build(), "{}".getBytes(StandardCharsets.US_ASCII)));
    jws("not JSON at all", ReasonCode.ENVELOPE_MALFORMED, "\u0000garbage".getBytes(StandardCharsets.UTF_8));
    jws("a JSON array", ReasonCode.ENVELOPE_MALFORMED, "[]".getBytes(StandardCharsets.UTF_8));
    jws("empty envelope", ReasonCode.ENVELOPE_MALFORMED, new byte[0]);
    jws("deeply nested JSON envelope", ReasonCode.ENVELOPE_MALFORMED, nested(5000, true));
    jws("deeply nested JSON protected header", ReasonCode.ENVELOPE_MALFORMED,
        new Jws(EC).with(j -> j.protectedB64 = s -> b64u(("{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}")
            .getBytes(StandardCharsets.US_ASCII))).build());
    jws("huge base64 payload", ReasonCode.ENVELOPE_TOO_LARGE,
        new Jws(EC).with(j -> j.payloadB64 = s -> s + "A".repeat(Envelopes.DEFAULT_MAX_ENVELOPE_BYTES + 1024)).build());

    // ---- x5c / x5chain
    jws("x5c missing", ReasonCode.CERT_CHAIN_INVALID, new Jws(EC).with(j -> j.header = h -> h.remove("x5c")).build());
    jws("x5c empty", ReasonCode.CERT_CHAIN_INVALID, new Jws(EC).with(j -> j.chain = List.of()).build());
    jws("x5c not base64", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.header = h -> h.putArray("x5c").add("@@@@")).build());
    jws("x5c base64url without padding", ReasonCode.ENVELOPE_MALFORMED, new Jws(EC).with(j -> j.header = h -> {
      final ArrayNode a = h.putArray("x5c");
      der(EC.chain()).forEach(c -> a.add(b64u(c)));
    }).build());
    jws("x5c entry not a string", ReasonCode.CERT_CHAIN_INVALID, new Jws(EC).with(j -> j.header = h -> h.putArray("x5c").add(1)).build());
    cose("x5chain of text strings", ReasonCode.CERT_CHAIN_INVALID, new Cose(EC).with(c -> c.unprot.put(33, w -> w.array(1).text("MIIB"))).build());
    cose("x5chain missing", ReasonCode.CERT_CHAIN_INVALID, new Cose(EC).with(c -> c.unprot.remove(33)).build());
    cose("x5chain in both header buckets", ReasonCode.CERT_CHAIN_INVALID, new Cose(EC).with(c -> c.prot.put(33, c.unprot.get(33))).build());
    both("garbage certificate DER", ReasonCode.CERT_CHAIN_INVALID, EC,
        j -> j.chain = List.of(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}),
        c -> c.unprot.put(33, w -> w.array(1).bytes(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00})));
    final List<byte[]> ecChain = der(EC.chain());
    both("truncated chain (no root)", ReasonCode.CERT_CHAIN_INVALID, EC, j -> j.chain = ecChain.subList(0, 2),
        c -> c.unprot.put(33, w -> w.array(2).bytes(ecChain.get(0)).bytes(ecChain.get(1))));
    both("leaf only, not self-signed", ReasonCode.CERT_CHAIN_INVALID, EC, j -> j.chain = ecChain.subList(0, 1),
        c -> c.unprot.put(33, w -> w.array(1).bytes(ecChain.get(0))));
    both("misordered chain", ReasonCode.CERT_CHAIN_INVALID, EC, j -> j.chain = List.of(ecChain.get(0), ecChain.get(2), ecChain.get(1)),
        c -> c.unprot.put(33, w -> w.array(3).bytes(ecChain.get(0)).bytes(ecChain.get(2)).bytes(ecChain.get(1))));
    both("reversed chain", ReasonCode.CERT_CHAIN_INVALID, EC, j -> j.chain = List.of(ecChain.get(2), ecChain.get(1), ecChain.get(0)),
        c -> c.unprot.put(33, w -> w.array(3).bytes(ecChain.get(2)).bytes(ecChain.get(1)).bytes(ecChain.get(0))));
    for (final int at : new int[] {0, 1}) {
      // One byte after a certificate: the JDK's factory would read the certificate and ignore it.
      final List<byte[]> padded = new ArrayList<>(ecChain);
      padded.set(at, java.util.Arrays.copyOf(ecChain.get(at), ecChain.get(at).length + 1));
      both("trailing byte after certificate " + at, ReasonCode.CERT_CHAIN_INVALID, EC, j -> j.chain = padded,
          c -> c.unprot.put(33, w -> w.array(3).bytes(padded.get(0)).bytes(padded.get(1)).bytes(padded.get(2))));
    }
    {
      // The leaf's signature BIT STRING claims 2 unused bits. A leaf whose signature ends in two zero bits is chosen,
      // so the JDK still verifies the variant: same certificate content, another encoding and fingerprint.
      Issued zeroTail = EC;
      while ((der(zeroTail.chain()).get(0)[der(zeroTail.chain()).get(0).length - 1] & 0x03) != 0) {
        zeroTail = CA.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256));
      }
      final List<byte[]> chain = der(zeroTail.chain());
      final byte[] leaf = chain.get(0).clone();
      leaf[lastBitString(leaf)] = 0x02;
      final List<byte[]> variant = List.of(leaf, chain.get(1), chain.get(2));
      both("leaf signature BIT STRING with unused bits", ReasonCode.CERT_CHAIN_INVALID, zeroTail,
          j -> j.chain = variant,
          c -> c.unprot.put(33, w -> w.array(3).bytes(variant.get(0)).bytes(variant.get(1)).bytes(variant.get(2))));
    }
    both("root duplicated", ReasonCode.CERT_CHAIN_INVALID, EC,
        j -> j.chain = List.of(ecChain.get(0), ecChain.get(1), ecChain.get(2), ecChain.get(2)),
        c -> c.unprot.put(33, w -> w.array(4).bytes(ecChain.get(0)).bytes(ecChain.get(1)).bytes(ecChain.get(2)).bytes(ecChain.get(2))));
    final Issued other = PKI.root("CN=Other Root,O=Else,C=US", KeyType.EC_P256).leaf(CertSpec.leaf(SUBJECT));
    both("unrelated root appended", ReasonCode.CERT_CHAIN_INVALID, EC, j -> {
      final List<byte[]> c = new ArrayList<>(ecChain);
      c.add(der(other.chain()).get(1));
      j.chain = c;
    }, c -> c.unprot.put(33, w -> w.array(4).bytes(ecChain.get(0)).bytes(ecChain.get(1)).bytes(ecChain.get(2))
        .bytes(der(other.chain()).get(1))));
    final Issued sibling = CA.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256));
    both("x5c of another key of the same CA", ReasonCode.SIGNATURE_INVALID, EC, j -> j.chain = der(sibling.chain()),
        c -> c.unprot.put(33, w -> {
          w.array(3);
          der(sibling.chain()).forEach(w::bytes);
        }));
    both("oversize x5c (11 certificates)", ReasonCode.ENVELOPE_TOO_LARGE, EC, j -> {
      final List<byte[]> c = new ArrayList<>();
      for (int i = 0; i < 11; i++) {
        c.add(ecChain.get(0));
      }
      j.chain = c;
    }, c -> c.unprot.put(33, w -> {
      w.array(11);
      for (int i = 0; i < 11; i++) {
        w.bytes(ecChain.get(0));
      }
    }));
    both("oversize certificate (70 KiB)", ReasonCode.ENVELOPE_TOO_LARGE, EC, j -> j.chain = List.of(new byte[70 * 1024]),
        c -> c.unprot.put(33, w -> w.array(1).bytes(new byte[70 * 1024])));

    // ---- COSE framing
    final byte[] good = new Cose(EC).build();
    cose("untagged COSE_Sign1", ReasonCode.ENVELOPE_MALFORMED, java.util.Arrays.copyOfRange(good, 1, good.length));
    cose("COSE_Sign tag 98 instead of 18", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.frame = p ->
        new CborWriter().tag(98).array(4).bytes(p.prot()).raw(p.unprot()).bytes(p.payload()).bytes(p.sig()).toByteArray()).build());
    cose("double tag 18", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.frame = p ->
        new CborWriter().tag(18).tag(18).array(4).bytes(p.prot()).raw(p.unprot()).bytes(p.payload()).bytes(p.sig()).toByteArray()).build());
    cose("array of three", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.frame = p ->
        new CborWriter().tag(18).array(3).bytes(p.prot()).raw(p.unprot()).bytes(p.payload()).toByteArray()).build());
    cose("array of five", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.frame = p ->
        new CborWriter().tag(18).array(5).bytes(p.prot()).raw(p.unprot()).bytes(p.payload()).bytes(p.sig()).bytes(p.sig()).toByteArray()).build());
    cose("trailing bytes", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.frame = p -> {
      final byte[] s = p.standard();
      return java.util.Arrays.copyOf(s, s.length + 1);
    }).build());
    cose("detached payload (nil)", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.frame = p ->
        new CborWriter().tag(18).array(4).bytes(p.prot()).raw(p.unprot()).raw(new byte[] {(byte) 0xf6}).bytes(p.sig()).toByteArray()).build());
    cose("protected header as a map, not bstr", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.frame = p ->
        new CborWriter().tag(18).array(4).raw(p.prot()).raw(p.unprot()).bytes(p.payload()).bytes(p.sig()).toByteArray()).build());
    cose("unprotected header as bstr", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.frame = p ->
        new CborWriter().tag(18).array(4).bytes(p.prot()).bytes(p.unprot()).bytes(p.payload()).bytes(p.sig()).toByteArray()).build());
    cose("truncated message", ReasonCode.ENVELOPE_MALFORMED, java.util.Arrays.copyOf(good, good.length / 2));
    cose("byte string length beyond the input", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.frame = p ->
        new CborWriter().tag(18).array(4).head(2, 0xFFFFFFF0L).toByteArray()).build());
    cose("duplicate protected label", ReasonCode.ENVELOPE_MALFORMED, new Cose(EC).with(c -> c.protectedBytes = b -> {
      // append a second "1: -7" entry and bump the map count
      final byte[] out = java.util.Arrays.copyOf(b, b.length + 2);
      out[0] = (byte) (b[0] + 1);
      out[b.length] = 0x01;
      out[b.length + 1] = 0x26;
      return out;
    }).build());
    cose("deeply nested CBOR in unprotected header", ReasonCode.ENVELOPE_MALFORMED,
        new Cose(EC).with(c -> c.unprot.put("io.example.deep", w -> w.raw(nested(5000, false)))).build());
    cose("deeply nested CBOR in protected header", ReasonCode.ENVELOPE_MALFORMED,
        new Cose(EC).with(c -> c.prot.put("io.example.deep", w -> w.raw(nested(5000, false)))).build());
    cose("huge payload", ReasonCode.ENVELOPE_TOO_LARGE, new Cose(EC).with(c -> c.payload = new byte[Envelopes.DEFAULT_MAX_ENVELOPE_BYTES + 1024]).build());

    // ---- signature
    both("signature bit flipped", ReasonCode.SIGNATURE_INVALID, EC, j -> j.sig = s -> {
      s[5] ^= 1;
      return s;
    }, c -> c.sig = s -> {
      s[5] ^= 1;
      return s;
    });
    both("empty signature", ReasonCode.SIGNATURE_INVALID, EC, j -> j.sig = s -> new byte[0], c -> c.sig = s -> new byte[0]);
    both("ECDSA signature in DER instead of R||S", ReasonCode.SIGNATURE_INVALID, EC, j -> j.sig = NegativeCorpusTest::toDer,
        c -> c.sig = NegativeCorpusTest::toDer);
    both("RSA signature truncated", ReasonCode.SIGNATURE_INVALID, RSA, j -> j.sig = s -> java.util.Arrays.copyOf(s, s.length - 1),
        c -> c.sig = s -> java.util.Arrays.copyOf(s, s.length - 1));
    final byte[] otherPayload = payload(new TargetDescriptor(TARGET.mediaType(), "sha256:" + "99".repeat(32), 777));
    both("payload swapped after signing", ReasonCode.SIGNATURE_INVALID, EC, j -> j.signedPayload = otherPayload,
        c -> c.signedPayload = otherPayload);
    cose("signature over a re-encoded protected header", ReasonCode.SIGNATURE_INVALID, new Cose(EC).with(c -> {
      // Same map, non-canonical integer encoding of alg (0x38 0x06 instead of 0x26): semantically equal, bytes differ.
      c.signedProtected = Cose.map(c.prot);
      c.protectedBytes = b -> {
        final byte[] out = new byte[b.length + 1];
        out[0] = b[0];
        out[1] = 0x01;
        out[2] = 0x38;
        out[3] = 0x06;
        System.arraycopy(b, 3, out, 4, b.length - 3);
        return out;
      };
    }).build());

    // ---- payload
    both("payload not JSON", ReasonCode.PAYLOAD_MALFORMED, EC, j -> j.payload = "hello".getBytes(StandardCharsets.US_ASCII),
        c -> c.payload = "hello".getBytes(StandardCharsets.US_ASCII));
    both("payload without targetArtifact", ReasonCode.PAYLOAD_MALFORMED, EC, j -> j.payload = "{\"subject\":{}}".getBytes(StandardCharsets.US_ASCII),
        c -> c.payload = "{}".getBytes(StandardCharsets.US_ASCII));
    final byte[] stringSize = ("{\"targetArtifact\":{\"mediaType\":\"" + TARGET.mediaType() + "\",\"digest\":\""
        + TARGET.digest() + "\",\"size\":\"777\"}}").getBytes(StandardCharsets.US_ASCII);
    both("payload size as a string", ReasonCode.PAYLOAD_MALFORMED, EC, j -> j.payload = stringSize, c -> c.payload = stringSize);
    final byte[] negSize = ("{\"targetArtifact\":{\"mediaType\":\"" + TARGET.mediaType() + "\",\"digest\":\""
        + TARGET.digest() + "\",\"size\":-1}}").getBytes(StandardCharsets.US_ASCII);
    jws("payload negative size", ReasonCode.PAYLOAD_MALFORMED, new Jws(EC).with(j -> j.payload = negSize).build());
    both("digest mismatch", ReasonCode.DIGEST_MISMATCH, EC, j -> j.payload = otherPayload, c -> c.payload = otherPayload);
    final byte[] otherSize = payload(new TargetDescriptor(TARGET.mediaType(), TARGET.digest(), 778));
    both("size mismatch", ReasonCode.SIZE_MISMATCH, EC, j -> j.payload = otherSize, c -> c.payload = otherSize);
    final byte[] otherType = payload(new TargetDescriptor("application/vnd.oci.image.index.v1+json", TARGET.digest(), 777));
    both("media type mismatch", ReasonCode.MEDIA_TYPE_MISMATCH, EC, j -> j.payload = otherType, c -> c.payload = otherType);

    // ---- plugins
    both("verification plugin required", ReasonCode.PLUGIN_UNSUPPORTED, EC, j -> {
      ((ArrayNode) j.ph.get("crit")).add(Headers.VERIFICATION_PLUGIN);
      j.ph.put(Headers.VERIFICATION_PLUGIN, "io.example.plugin");
    }, c -> {
      c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).text(Headers.VERIFICATION_PLUGIN));
      c.prot.put(Headers.VERIFICATION_PLUGIN, w -> w.text("io.example.plugin"));
    });

    // ---- trust and identity
    final Issued selfSigned = PKI.selfSignedLeaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256));
    both("self-signed leaf not in the trust store", ReasonCode.UNTRUSTED_CHAIN, selfSigned, j -> { }, c -> { });
    both("chain to a root not in the trust store", ReasonCode.UNTRUSTED_CHAIN, other, j -> { }, c -> { });
    final Issued otherOrg = CA.leaf(CertSpec.leaf("CN=signer,O=Mallory,ST=WA,C=US").keyType(KeyType.EC_P256));
    both("identity mismatch (organisation)", ReasonCode.UNTRUSTED_IDENTITY, otherOrg, j -> { }, c -> { });
    final Issued noState = CA.leaf(CertSpec.leaf("CN=signer,O=Sigstream,C=US").keyType(KeyType.EC_P256));
    jws("leaf subject without ST", ReasonCode.UNTRUSTED_IDENTITY, new Jws(noState).build());
    final Issued email = CA.leaf(CertSpec.leaf("EMAILADDRESS=a@b.c,CN=signer,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
    jws("leaf subject with emailAddress", ReasonCode.UNTRUSTED_IDENTITY, new Jws(email).build());

    // ---- certificate rules
    both("SHA-1 signed leaf", ReasonCode.CERT_WEAK_ALGORITHM, leaf(s -> s.signatureAlgorithm("SHA1withECDSA")), j -> { }, c -> { });
    both("leaf with serverAuth EKU", ReasonCode.CERT_REQUIREMENTS_UNMET, leaf(s -> s.eku(CertSpec.Eku.SERVER_AUTH)), j -> { }, c -> { });
    jws("leaf with anyExtendedKeyUsage", ReasonCode.CERT_REQUIREMENTS_UNMET, new Jws(leaf(s -> s.eku(CertSpec.Eku.ANY))).build());
    jws("leaf with timeStamping EKU", ReasonCode.CERT_REQUIREMENTS_UNMET, new Jws(leaf(s -> s.eku(CertSpec.Eku.TIME_STAMPING))).build());
    jws("leaf with cA=true", ReasonCode.CERT_REQUIREMENTS_UNMET, new Jws(leaf(s -> s.basicConstraints(CertSpec.Basic.CA_TRUE))).build());
    jws("leaf without keyUsage", ReasonCode.CERT_REQUIREMENTS_UNMET, new Jws(leaf(CertSpec::noKeyUsage)).build());
    jws("leaf with non-critical keyUsage", ReasonCode.CERT_REQUIREMENTS_UNMET, new Jws(leaf(s -> s.keyUsageCritical(false))).build());
    jws("leaf with keyEncipherment", ReasonCode.CERT_REQUIREMENTS_UNMET, new Jws(leaf(s -> s.keyUsage(
        org.bouncycastle.asn1.x509.KeyUsage.digitalSignature | org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment))).build());
    final Issued rsa1024 = leaf(s -> s.keyPair(rsa(1024)));
    jws("leaf RSA-1024", ReasonCode.CERT_REQUIREMENTS_UNMET, new Jws(rsa1024).with(j -> {
      j.signAlg = SignatureAlgorithm.PS256;
      j.ph.put("alg", "PS256");
    }).build());
    final Ca noCertSign = ROOT.intermediate(CertSpec.ca("CN=Weak CA,O=Sigstream,C=US").keyType(KeyType.EC_P256)
        .keyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature));
    jws("intermediate without keyCertSign", ReasonCode.CERT_CHAIN_INVALID, new Jws(noCertSign.leaf(CertSpec.leaf(SUBJECT))).build());
    final Ca nonCriticalBc = ROOT.intermediate(CertSpec.ca("CN=Loose CA,O=Sigstream,C=US").keyType(KeyType.EC_P256)
        .basicConstraintsCritical(false));
    jws("intermediate with non-critical basicConstraints", ReasonCode.CERT_REQUIREMENTS_UNMET,
        new Jws(nonCriticalBc.leaf(CertSpec.leaf(SUBJECT))).build());

    // ---- validity and expiry
    noTsa("expired leaf", ReasonCode.CERT_EXPIRED, leaf(s -> s.validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)))),
        j -> j.ph.put(Headers.SIGNING_TIME, RFC3339.format(NOW.minus(Duration.ofDays(2)))),
        c -> c.prot.put(Headers.SIGNING_TIME, w -> w.tag(1).integer(NOW.minus(Duration.ofDays(2)).getEpochSecond())));
    both("leaf not yet valid", ReasonCode.CERT_NOT_YET_VALID, leaf(s -> s.validity(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)))),
        j -> { }, c -> { });
    final Ca expiredCa = ROOT.intermediate(CertSpec.ca("CN=Expired CA,O=Sigstream,C=US").keyType(KeyType.EC_P256)
        .validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1))));
    noTsa("expired intermediate", ReasonCode.CERT_EXPIRED, expiredCa.leaf(CertSpec.leaf(SUBJECT)
        .validity(NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(30)))), j -> { }, c -> { });
    both("expired signature", ReasonCode.SIGNATURE_EXPIRED, EC, j -> {
      ((ArrayNode) j.ph.get("crit")).add(Headers.EXPIRY);
      j.ph.put(Headers.EXPIRY, RFC3339.format(NOW.minusSeconds(60)));
    }, c -> {
      c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).text(Headers.EXPIRY));
      c.prot.put(Headers.EXPIRY, w -> w.tag(1).integer(NOW.minusSeconds(60).getEpochSecond()));
    });
    both("expiry exactly now", ReasonCode.SIGNATURE_EXPIRED, EC, j -> {
      ((ArrayNode) j.ph.get("crit")).add(Headers.EXPIRY);
      j.ph.put(Headers.EXPIRY, RFC3339.format(NOW));
    }, c -> {
      c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).text(Headers.EXPIRY));
      c.prot.put(Headers.EXPIRY, w -> w.tag(1).integer(NOW.getEpochSecond()));
    });
    both("authentic signing time before the leaf", ReasonCode.CERT_NOT_YET_VALID, EC, j -> {
      j.ph.put(Headers.SIGNING_SCHEME, "notary.x509.signingAuthority");
      j.ph.remove(Headers.SIGNING_TIME);
      j.ph.put(Headers.AUTHENTIC_SIGNING_TIME, RFC3339.format(NOW.minus(Duration.ofDays(3))));
      ((ArrayNode) j.ph.get("crit")).add(Headers.AUTHENTIC_SIGNING_TIME);
    }, c -> {
      c.prot.put(Headers.SIGNING_SCHEME, w -> w.text("notary.x509.signingAuthority"));
      c.prot.remove(Headers.SIGNING_TIME);
      c.prot.put(2, w -> w.array(2).text(Headers.SIGNING_SCHEME).text(Headers.AUTHENTIC_SIGNING_TIME));
      c.prot.put(Headers.AUTHENTIC_SIGNING_TIME, w -> w.tag(1).integer(NOW.minus(Duration.ofDays(3)).getEpochSecond()));
    });

    // ---- revocation (the test PKI's OCSP responder and CRLs, in process)
    final Issued revoked = CA.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256));
    CA.revoke(revoked.certificate(), NOW.minus(Duration.ofHours(2)));
    both("revoked leaf", ReasonCode.CERT_REVOKED, revoked, j -> { }, c -> { });
    final Ca revokedCa = ROOT.intermediate("CN=Revoked CA,O=Sigstream,C=US", KeyType.EC_P256);
    CAS.put(revokedCa.ocspUrl(), revokedCa);
    CAS.put(revokedCa.crlUrl(), revokedCa);
    ROOT.revoke(revokedCa.certificate(), NOW.minus(Duration.ofHours(2)));
    both("revoked intermediate", ReasonCode.CERT_REVOKED, revokedCa.leaf(CertSpec.leaf(SUBJECT)), j -> { }, c -> { });
    final Issued unknown = CA.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256).crl(false));
    CA.ocspBehaviour(unknown.certificate(), Ca.OcspBehaviour.UNKNOWN);
    both("OCSP answers unknown, no CRL", ReasonCode.REVOCATION_UNKNOWN, unknown, j -> { }, c -> { });
    final Issued unreachable = CA.leaf(CertSpec.leaf(SUBJECT).keyType(KeyType.EC_P256).crl(false)
        .ocspUrl(URI.create("http://127.0.0.1:9/unreachable")));
    jws("OCSP responder unreachable, no CRL", ReasonCode.REVOCATION_UNKNOWN, new Jws(unreachable).build());

    // ---- timestamps (policy verifyTimestamp=always with a tsa store)
    final Jws tsOther = new Jws(EC);
    tsOther.token = TSA.timestamp(sha256("other data".getBytes(StandardCharsets.US_ASCII)), "SHA-256");
    alwaysJws("timestamp over other data", ReasonCode.TIMESTAMP_INVALID, tsOther.build());
    alwaysJws("timestamp missing", ReasonCode.TIMESTAMP_MISSING, new Jws(EC).build());
    final Jws tsGarbage = new Jws(EC);
    tsGarbage.token = new byte[] {0x30, 0x03, 0x02, 0x01, 0x01};
    alwaysJws("timestamp token garbage", ReasonCode.TIMESTAMP_INVALID, tsGarbage.build());
    alwaysJws("timestamp with SHA-384 imprint for ES256", ReasonCode.TIMESTAMP_INVALID, timestamped(EC, (sig) ->
        TSA.timestamp(digest("SHA-384", sig), "SHA-384"), false));
    final Tsa rogue = PKI.tsa(TsaSpec.defaults().rootDn("CN=Rogue TSA Root,O=Else,C=US"));
    alwaysJws("timestamp from a TSA not in the store", ReasonCode.TIMESTAMP_UNTRUSTED, timestamped(EC, (sig) ->
        rogue.timestamp(sha256(sig), "SHA-256"), false));
    final Issued expiredForTs = leaf(s -> s.validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1))));
    alwaysJws("timestamp after the signer expired", ReasonCode.TIMESTAMP_OUTSIDE_CERT_VALIDITY, timestamped(expiredForTs,
        (sig) -> TSA.timestamp(sha256(sig), "SHA-256"), false));
    alwaysCose("timestamp over other data", ReasonCode.TIMESTAMP_INVALID, timestamped(EC, (sig) ->
        TSA.timestamp(sha256("other".getBytes(StandardCharsets.US_ASCII)), "SHA-256"), true));
    alwaysCose("timestamp after the signer expired", ReasonCode.TIMESTAMP_OUTSIDE_CERT_VALIDITY, timestamped(expiredForTs,
        (sig) -> TSA.timestamp(sha256(sig), "SHA-256"), true));
    // afterCertExpiry: an expired signer needs a timestamp
    jws("expired signer without timestamp under afterCertExpiry", ReasonCode.TIMESTAMP_MISSING, new Jws(expiredForTs)
        .with(j -> j.ph.put(Headers.SIGNING_TIME, RFC3339.format(NOW.minus(Duration.ofDays(2))))).build());

    // ---- media type and metadata
    CASES.add(new Case("unsupported envelope media type", "application/json", new Jws(EC).build(),
        ReasonCode.ENVELOPE_UNSUPPORTED, AFTER_EXPIRY, TARGET, Map.of()));
    CASES.add(new Case("jws: user metadata absent", Headers.MEDIA_TYPE_JWS, new Jws(EC).build(),
        ReasonCode.USER_METADATA_MISMATCH, AFTER_EXPIRY, TARGET, Map.of("buildId", "1")));
    CASES.add(new Case("cose: user metadata absent", Headers.MEDIA_TYPE_COSE, new Cose(EC).build(),
        ReasonCode.USER_METADATA_MISMATCH, AFTER_EXPIRY, TARGET, Map.of("buildId", "1")));
  }

  static void alwaysJws(final String name, final ReasonCode expected, final byte[] env) {
    CASES.add(new Case("jws: " + name, Headers.MEDIA_TYPE_JWS, env, expected, ALWAYS, TARGET, Map.of()));
  }

  static void alwaysCose(final String name, final ReasonCode expected, final byte[] env) {
    CASES.add(new Case("cose: " + name, Headers.MEDIA_TYPE_COSE, env, expected, ALWAYS, TARGET, Map.of()));
  }

  /** A valid envelope whose token is computed from the real signature by {@code tokenFor}. */
  static byte[] timestamped(final Issued signer, final Function<byte[], byte[]> tokenFor, final boolean cose) {
    try {
      final var attrs = new EnvelopeWriter.Attributes(SignatureAlgorithm.forKey(signer.publicKey()).orElseThrow(),
          SigningScheme.X509, NOW.minus(Duration.ofDays(2)), null, Map.of());
      final EnvelopeWriter.Signer s = data -> new LocalSigningKey(signer.privateKey(), signer.chain())
          .sign(data, attrs.algorithm());
      final EnvelopeWriter.Timestamper t = tokenFor::apply;
      return cose ? EnvelopeWriter.cose(attrs, payload(TARGET), der(signer.chain()), null, s, t)
          : EnvelopeWriter.jws(attrs, payload(TARGET), der(signer.chain()), null, s, t);
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] concat(final byte[] a, final byte[] b) {
    final byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Prepends a second "payload" member (for another artifact) to a valid envelope. */
  static byte[] dupPayload(final byte[] env) {
    final String s = new String(env, StandardCharsets.UTF_8);
    return ("{\"payload\":\"" + b64u(payload(new TargetDescriptor(TARGET.mediaType(), "sha256:" + "34".repeat(32), 1)))
        + "\"," + s.substring(1)).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] digest(final String alg, final byte[] b) {
    try {
      return MessageDigest.getInstance(alg).digest(b);
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static java.security.KeyPair rsa(final int bits) {
    try {
      final KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Raw R||S to ASN.1 DER. */
  static byte[] toDer(final byte[] rs) {
    final int n = rs.length / 2;
    final var r = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(rs, 0, n));
    final var s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(rs, n, rs.length));
    try {
      return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
          new org.bouncycastle.asn1.ASN1Integer(r), new org.bouncycastle.asn1.ASN1Integer(s)}).getEncoded();
    } catch (final IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Case> cases() {
    return CASES.stream();
  }

  @Test
  void corpus_hasAtLeastAHundredEnvelopes() {
    assertThat(CASES).hasSizeGreaterThanOrEqualTo(100);
    assertThat(CASES.stream().map(Case::name).distinct().count()).isEqualTo(CASES.size());
  }

  @Test
  void baseline_validEnvelopesPass() {
    // The corpus only means something if the unmodified envelopes verify.
    for (final byte[] env : List.of(new Jws(EC).build(), new Jws(RSA).build())) {
      assertThat(AFTER_EXPIRY.verify(REF, TARGET, List.of(new SignatureCandidate(Headers.MEDIA_TYPE_JWS, env)), Map.of())
          .outcome()).isEqualTo(VerificationResult.Outcome.PASS);
    }
    for (final byte[] env : List.of(new Cose(EC).build(), new Cose(RSA).build())) {
      assertThat(AFTER_EXPIRY.verify(REF, TARGET, List.of(new SignatureCandidate(Headers.MEDIA_TYPE_COSE, env)), Map.of())
          .outcome()).isEqualTo(VerificationResult.Outcome.PASS);
    }
    final byte[] ts = timestamped(EC, sig -> TSA.timestamp(sha256(sig), "SHA-256"), false);
    assertThat(ALWAYS.verify(REF, TARGET, List.of(new SignatureCandidate(Headers.MEDIA_TYPE_JWS, ts)), Map.of())
        .outcome()).isEqualTo(VerificationResult.Outcome.PASS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void craftedEnvelope_failsWithItsReason(final Case c) {
    // When
    final VerificationResult r = c.verifier().verify(REF, c.target(),
        List.of(new SignatureCandidate(c.mediaType(), c.envelope())), c.metadata());
    // Then
    assertThat(r.outcome()).as(r.toString()).isIn(VerificationResult.Outcome.FAIL, VerificationResult.Outcome.ERROR);
    assertThat(r.reason()).as(r.signatures().toString()).isEqualTo(c.expected());
    assertThat(r.signatures()).singleElement().satisfies(s -> {
      assertThat(s.verified()).isFalse();
      final CheckResult d = s.decisiveFailure().orElseThrow();
      assertThat(d.reason()).isEqualTo(c.expected());
      assertThat(d.action()).isEqualTo(CheckResult.Action.ENFORCED);
    });
    // Malformed input is reported by inspect() as well, never thrown.
    NotaryVerifier.inspect(c.mediaType(), c.envelope());
  }

  @Test
  void checkOfEachReason_isTheExpectedStep() {
    final Map<ReasonCode, Check> expected = Map.of(
        ReasonCode.UNTRUSTED_CHAIN, Check.AUTHENTICITY,
        ReasonCode.UNTRUSTED_IDENTITY, Check.TRUSTED_IDENTITY,
        ReasonCode.CERT_REVOKED, Check.REVOCATION,
        ReasonCode.SIGNATURE_EXPIRED, Check.EXPIRY,
        ReasonCode.TIMESTAMP_MISSING, Check.AUTHENTIC_TIMESTAMP,
        ReasonCode.DIGEST_MISMATCH, Check.TARGET_ARTIFACT,
        ReasonCode.PLUGIN_UNSUPPORTED, Check.PLUGIN,
        ReasonCode.SIGNATURE_INVALID, Check.INTEGRITY);
    for (final Case c : CASES) {
      final Check want = expected.get(c.expected());
      if (want == null) {
        continue;
      }
      final VerificationResult r = c.verifier().verify(REF, c.target(),
          List.of(new SignatureCandidate(c.mediaType(), c.envelope())), c.metadata());
      assertThat(r.signatures().get(0).decisiveFailure().orElseThrow().check()).as(c.name()).isEqualTo(want);
    }
  }
}
