package dev.sigstream.notary;

import static dev.sigstream.notary.Fixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notary.VerificationResult.Outcome;
import dev.sigstream.notary.sign.EnvelopeFormat;
import dev.sigstream.notary.sign.LocalSigningKey;
import dev.sigstream.notary.sign.NotarySigner;
import dev.sigstream.notary.sign.SignRequest;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property: no random mutation of a valid JWS or COSE envelope verifies, and none makes the verifier throw.
 * The envelopes carry no unsigned informational fields (signing agent), so every byte is load-bearing.
 */
class MutationPropertiesTest {

  static final TestPki PKI = TestPki.start(CLOCK);
  static final Ca ROOT = PKI.root("CN=Prop Root,O=Sigstream,C=US", KeyType.EC_P256);
  static final Ca CA = ROOT.intermediate("CN=Prop CA,O=Sigstream,C=US", KeyType.EC_P256);
  static final Issued EC = CA.leaf(CertSpec.leaf("CN=p,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256).noRevocationInfo());
  static final Issued RSA = CA.leaf(CertSpec.leaf("CN=p,O=Sigstream,ST=WA,C=US").keyType(KeyType.RSA_2048).noRevocationInfo());
  static final TargetDescriptor TARGET = new TargetDescriptor("application/vnd.oci.image.manifest.v1+json",
      "sha256:" + "5a".repeat(32), 321);
  static final String REF = "registry.example/prop@" + TARGET.digest();
  static final NotaryVerifier VERIFIER = Fixtures.verifier(
      Fixtures.policy("*", "strict", null, "[\"ca:p\"]", "[\"x509.subject:C=US,ST=WA,O=Sigstream\"]", null),
      TrustStore.of(Map.of(TrustStoreType.CA, Map.of("p", List.of(ROOT.certificate()))))).build();
  static final byte[] JWS_EC = sign(EC, EnvelopeFormat.JWS);
  static final byte[] COSE_EC = sign(EC, EnvelopeFormat.COSE);
  static final byte[] JWS_RSA = sign(RSA, EnvelopeFormat.JWS);
  static final byte[] COSE_RSA = sign(RSA, EnvelopeFormat.COSE);

  @AfterContainer
  static void close() {
    PKI.close();
  }

  static byte[] sign(final Issued who, final EnvelopeFormat f) {
    try {
      return NotarySigner.create(new LocalSigningKey(who.privateKey(), who.chain()), CLOCK, null, null)
          .sign(new SignRequest(TARGET, f, dev.sigstream.notary.envelope.SigningScheme.X509, Duration.ofDays(1),
              Map.of("k", "v"), false)).envelope();
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Outcome verify(final String mediaType, final byte[] env) {
    return VERIFIER.verify(REF, TARGET, List.of(new SignatureCandidate(mediaType, env)), Map.of()).outcome();
  }

  @Property(tries = 10)
  void unmodifiedEnvelopes_verify() {
    // Guard: the properties below are vacuous unless the originals pass.
    assertThat(verify(EnvelopeFormat.JWS.mediaType(), JWS_EC)).isEqualTo(Outcome.PASS);
    assertThat(verify(EnvelopeFormat.COSE.mediaType(), COSE_EC)).isEqualTo(Outcome.PASS);
    assertThat(verify(EnvelopeFormat.JWS.mediaType(), JWS_RSA)).isEqualTo(Outcome.PASS);
    assertThat(verify(EnvelopeFormat.COSE.mediaType(), COSE_RSA)).isEqualTo(Outcome.PASS);
  }

  @Provide
  Arbitrary<byte[]> original() {
    return Arbitraries.of(JWS_EC, COSE_EC, JWS_RSA, COSE_RSA);
  }

  static String mediaTypeOf(final byte[] env) {
    return env[0] == '{' ? EnvelopeFormat.JWS.mediaType() : EnvelopeFormat.COSE.mediaType();
  }

  @Property(tries = 1500)
  void singleByteMutation_neverVerifies(
      @ForAll("original") final byte[] original, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) final int pos,
      @ForAll @IntRange(min = 1, max = 255) final int xor) {
    final byte[] env = original.clone();
    final int i = pos % env.length;
    env[i] = (byte) (env[i] ^ xor);
    assertThat(verify(mediaTypeOf(original), env)).isNotEqualTo(Outcome.PASS);
  }

  @Property(tries = 500)
  void multiByteMutation_neverVerifies(
      @ForAll("original") final byte[] original,
      @ForAll("positions") final List<Integer> positions, @ForAll @IntRange(min = 1, max = 255) final int xor) {
    final byte[] env = original.clone();
    for (final int p : positions) {
      env[p % env.length] ^= (byte) xor;
    }
    // An even number of identical XORs at one position cancels out; only assert when bytes really changed.
    if (!java.util.Arrays.equals(env, original)) {
      assertThat(verify(mediaTypeOf(original), env)).isNotEqualTo(Outcome.PASS);
    }
  }

  @Provide
  Arbitrary<List<Integer>> positions() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(2).ofMaxSize(8);
  }

  @Property(tries = 500)
  void truncationOrExtension_neverVerifies(
      @ForAll("original") final byte[] original, @ForAll @IntRange(min = 1, max = 4000) final int cut,
      @ForAll final boolean extend) {
    final byte[] env = extend ? java.util.Arrays.copyOf(original, original.length + (cut % 16) + 1)
        : java.util.Arrays.copyOf(original, Math.max(0, original.length - (cut % original.length) - 1));
    assertThat(verify(mediaTypeOf(original), env)).isNotEqualTo(Outcome.PASS);
  }

  @Property(tries = 500)
  void jwsFieldMutation_neverVerifies(
      @ForAll("jwsOriginal") final byte[] original, @ForAll("jwsField") final String field,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) final int pos,
      @ForAll("base64urlChar") final char replacement) throws Exception {
    final var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    final var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(original);
    final String value = root.get(field).asText();
    final int i = pos % value.length();
    if (value.charAt(i) == replacement) {
      return;
    }
    root.put(field, value.substring(0, i) + replacement + value.substring(i + 1));
    assertThat(verify(EnvelopeFormat.JWS.mediaType(), mapper.writeValueAsBytes(root))).isNotEqualTo(Outcome.PASS);
  }

  @Provide
  Arbitrary<byte[]> jwsOriginal() {
    return Arbitraries.of(JWS_EC, JWS_RSA);
  }

  @Provide
  Arbitrary<String> jwsField() {
    return Arbitraries.of("protected", "payload", "signature");
  }

  @Provide
  Arbitrary<Character> base64urlChar() {
    return Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/".toCharArray());
  }

  @Property(tries = 300)
  void randomBytes_neverVerifyAndNeverThrow(@ForAll final byte[] junk, @ForAll final boolean cose) {
    final String mt = cose ? EnvelopeFormat.COSE.mediaType() : EnvelopeFormat.JWS.mediaType();
    assertThat(verify(mt, junk)).isNotEqualTo(Outcome.PASS);
    assertThat(NotaryVerifier.inspect(mt, junk)).isNotNull();
  }

  @Property(tries = 200)
  void payloadSubstitution_neverVerifies(@ForAll("jwsOriginal") final byte[] original,
      @ForAll @IntRange(min = 0, max = 1_000_000) final long size) throws Exception {
    // Re-encode a payload for another size into the envelope while keeping the signature.
    final var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    final var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(original);
    if (size == TARGET.size()) {
      return;
    }
    final String payload = "{\"targetArtifact\":{\"mediaType\":\"" + TARGET.mediaType() + "\",\"digest\":\""
        + TARGET.digest() + "\",\"size\":" + size + "}}";
    root.put("payload", java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.getBytes(StandardCharsets.UTF_8)));
    assertThat(verify(EnvelopeFormat.JWS.mediaType(), mapper.writeValueAsBytes(root))).isNotEqualTo(Outcome.PASS);
  }
}
