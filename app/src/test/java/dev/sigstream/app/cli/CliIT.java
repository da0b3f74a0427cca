package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.sign.SignatureManifest;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.schemas.AvroJson;
import dev.sigstream.schemas.avro.CheckStatus;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import dev.sigstream.testing.registry.RegistryExtension;
import dev.sigstream.testing.registry.TestRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every CLI command in-process against the real registry harness (CNCF Distribution, tag-schema fallback) and the
 * test PKI (CA hierarchy with a live OCSP responder, and a TSA over loopback HTTP).
 */
@Tag("integration")
@Timeout(120)
@ExtendWith(RegistryExtension.class)
class CliIT {

  private static final String SIGNER_DN = "CN=signer,O=Sigstream,ST=WA,C=US";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestPki pki;
  private static Ca root;
  private static Issued signer;
  private static Tsa tsa;

  @TempDir
  Path tmp;

  private TestRegistry registry;
  private RegistryClient client;
  private String repo;
  private Path key;
  private Path chain;

  @BeforeAll
  static void startPki() {
    pki = TestPki.start();
    root = pki.root("CN=Sigstream Test Root,O=Sigstream,C=US", KeyType.RSA_3072);
    final Ca intermediate = root.intermediate("CN=Sigstream Test CA,O=Sigstream,C=US", KeyType.EC_P384);
    signer = intermediate.leaf(CertSpec.leaf(SIGNER_DN).keyType(KeyType.EC_P256));
    tsa = pki.tsa();
  }

  @AfterAll
  static void stopPki() {
    pki.close();
  }

  @BeforeEach
  void setUp(final TestRegistry registry, final TestInfo info) throws IOException {
    this.registry = registry;
    this.client = Fixtures.client(registry);
    this.repo = RegistryExtension.uniqueRepository(info);
    this.key = Fixtures.write(tmp.resolve("keys/signer.key"), Fixtures.pem(signer.privateKey()));
    this.chain = Fixtures.write(tmp.resolve("keys/signer.crt"), Fixtures.pem(signer.chain()));
  }

  // ------------------------------------------------------------------------------------------------ sign + verify

  @Test
  void signJwsThenVerify_passes_withRevocationCheckedOverOcsp() throws Exception {
    // Given
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Path config = notationConfig("strict", "\"ca:test\"", "\"x509.subject: " + SIGNER_DN + "\"", null);

    // When
    final Cli.Result sign = cli().run("sign", "--key", key.toString(), "--cert-chain", chain.toString(),
        "--insecure-registry", registry.host(), ref("v1"));
    final Cli.Result verify = cli().env(Map.of("NOTATION_CONFIG", config.toString()))
        .run("verify", "--insecure-registry", registry.host(), refAt(image));
    final Cli.Result json = cli().run("verify", "--notation-config", config.toString(), "--output", "json",
        "--insecure-registry", registry.host(), refAt(image));

    // Then
    assertThat(sign.exit()).as(sign.toString()).isZero();
    assertThat(sign.out().trim()).startsWith("sha256:");
    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(verify.out()).contains("Successfully verified signature for " + refAt(image)).contains("CN=signer");
    assertThat(json.exit()).as(json.toString()).isZero();
    final Verdict v = verdict((json.out()));
    assertThat(v.getOutcome()).isEqualTo(Outcome.PASS);
    assertThat(v.getReasonCode()).isEqualTo(ReasonCode.OK);
    assertThat(v.getArtifact().getRegistry()).isEqualTo(registry.host());
    assertThat(v.getArtifact().getRepository()).isEqualTo(repo);
    assertThat(v.getArtifact().getDigest()).isEqualTo(image.digest().toString());
    assertThat(v.getArtifact().getSize()).isEqualTo(image.size());
    assertThat(v.getArtifactClass().name()).isEqualTo("CONTAINER_IMAGE");
    assertThat(v.getPolicy().getStatement()).isEqualTo("test");
    assertThat(v.getSignatures()).hasSize(1);
    final var sig = v.getSignatures().get(0);
    assertThat(sig.getVerified()).isTrue();
    assertThat(sig.getManifestDigest()).isEqualTo(sign.out().trim());
    assertThat(sig.getEnvelopeType()).isEqualTo("application/jose+json");
    assertThat(sig.getSigningScheme()).isEqualTo("notary.x509");
    assertThat(sig.getSignerSubject()).contains("CN=signer");
    assertThat(sig.getChecks()).anySatisfy(c -> {
      assertThat(c.getCheck().name()).isEqualTo("REVOCATION");
      assertThat(c.getStatus()).isEqualTo(CheckStatus.PASSED);
    });
    assertThat(v.getReferrers().getSignatureCount()).isEqualTo(1);
  }

  @Test
  void signCoseWithMetadataThenVerifyByTag_passes_andOtherMetadataFails() throws Exception {
    // Given
    Fixtures.pushImage(client, registry, repo, "v2");
    final Path config = notationConfig("strict", "\"ca:test\"", "\"x509.subject: " + SIGNER_DN + "\"", "skip");
    final Cli.Result sign = cli().run("sign", "--key", key.toString(), "--cert-chain", chain.toString(),
        "--signature-format", "cose", "-m", "env=prod", "--expiry", "30d", "--insecure-registry", registry.host(),
        ref("v2"));
    assertThat(sign.exit()).as(sign.toString()).isZero();

    // When
    final Cli.Result ok = cli().run("verify", "--notation-config", config.toString(), "-m", "env=prod",
        "--output", "json", "--insecure-registry", registry.host(), ref("v2"));
    final Cli.Result wrong = cli().run("verify", "--notation-config", config.toString(), "-m", "env=dev",
        "--insecure-registry", registry.host(), ref("v2"));

    // Then
    assertThat(ok.exit()).as(ok.toString()).isZero();
    assertThat(ok.err()).contains("tags are mutable");
    final Verdict v = verdict((ok.out()));
    assertThat(v.getArtifact().getTag()).isEqualTo("v2");
    assertThat(v.getArtifact().getDigest()).startsWith("sha256:");
    assertThat(v.getSignatures().get(0).getEnvelopeType()).isEqualTo("application/cose");
    assertThat(v.getSignatures().get(0).getExpiryMillis()).isNotNull();
    assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(1);
    assertThat(wrong.out()).contains("USER_METADATA_MISMATCH").contains("to fix:");
  }

  // ------------------------------------------------------------------------------------------------ tampering

  @Test
  void tagRepushedToOtherContent_verifyByTagFails_noSignature() throws IOException {
    // Given: v3 signed, then the tag is moved to other content
    Fixtures.pushImage(client, registry, repo, "v3");
    final Path config = notationConfig("strict", "\"ca:test\"", "\"*\"", "skip");
    assertThat(sign(ref("v3")).exit()).isZero();
    assertThat(verify(config, ref("v3")).exit()).isZero();
    Fixtures.pushImage(client, registry, repo, "v3");

    // When
    final Cli.Result r = verify(config, ref("v3"));

    // Then
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("NO_SIGNATURE");
  }

  @Test
  void signatureReplayedOntoOtherArtifact_fails_digestMismatch() throws IOException {
    // Given: the signature of a is copied, envelope untouched, into a referrer of b
    final Descriptor a = Fixtures.pushImage(client, registry, repo, "a");
    final Descriptor b = Fixtures.pushImage(client, registry, repo, "b");
    final Path config = notationConfig("strict", "\"ca:test\"", "\"*\"", "skip");
    final Cli.Result signed = sign(refAt(a));
    assertThat(signed.exit()).isZero();
    final byte[] envelope = envelopeOf(signed.out().trim());
    pushSignature(b, "application/jose+json", envelope);

    // When
    final Cli.Result r = verify(config, refAt(b));

    // Then
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("DIGEST_MISMATCH");
  }

  @Test
  void corruptedSignature_fails_signatureInvalid() throws IOException {
    // Given: a's JWS with its signature value changed (still valid base64url), attached to b, which has no other
    final Descriptor a = Fixtures.pushImage(client, registry, repo, "a");
    final Descriptor b = Fixtures.pushImage(client, registry, repo, "b");
    final Path config = notationConfig("strict", "\"ca:test\"", "\"*\"", "skip");
    final Cli.Result signed = sign(refAt(a));
    final ObjectNode jws = (ObjectNode) JSON.readTree(envelopeOf(signed.out().trim()));
    final String sig = jws.get("signature").asText();
    jws.put("signature", (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1));
    pushSignature(b, "application/jose+json", JSON.writeValueAsBytes(jws));

    // When
    final Cli.Result r = verify(config, refAt(b));

    // Then
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("SIGNATURE_INVALID");
  }

  // ------------------------------------------------------------------------------------------------ expiry, identity

  @Test
  void expiredCertificate_passesWithTimestampAndTsaStore_failsWithoutTsaStore() throws Exception {
    // Given: a certificate valid for one more hour signs with a timestamp; verification runs three hours later
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final Issued shortLived = root.intermediate("CN=Short CA,O=Sigstream,C=US", KeyType.EC_P256)
        .leaf(CertSpec.leaf("CN=short,O=Sigstream,C=US").keyType(KeyType.EC_P256)
            .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofHours(1))));
    final Path k = Fixtures.write(tmp.resolve("keys/short.key"), Fixtures.pem(shortLived.privateKey()));
    final Path c = Fixtures.write(tmp.resolve("keys/short.crt"), Fixtures.pem(shortLived.chain()));
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Cli.Result signed = cli().run("sign", "--key", k.toString(), "--cert-chain", c.toString(),
        "--timestamp-url", tsa.url().toString(), "--insecure-registry", registry.host(), refAt(image));
    assertThat(signed.exit()).as(signed.toString()).isZero();
    final Clock later = Clock.fixed(now.plus(Duration.ofHours(3)), ZoneOffset.UTC);
    final Path withTsa = notationConfig("strict", "\"ca:test\", \"tsa:tsa\"", "\"*\"", "skip");
    final Path withoutTsa = notationConfig("strict", "\"ca:test\"", "\"*\"", "skip");

    // When
    final Cli.Result pass = cli().clock(later).run("verify", "--notation-config", withTsa.toString(), "-o", "json",
        "--insecure-registry", registry.host(), refAt(image));
    final Cli.Result fail = cli().clock(later).run("verify", "--notation-config", withoutTsa.toString(),
        "--insecure-registry", registry.host(), refAt(image));
    final Cli.Result inspect = cli().run("inspect", "-o", "json", "--insecure-registry", registry.host(),
        refAt(image));

    // Then
    assertThat(pass.exit()).as(pass.toString()).isZero();
    final Verdict v = verdict((pass.out()));
    assertThat(v.getSignatures().get(0).getTimestampMillis()).isNotNull();
    assertThat(fail.exit()).as(fail.toString()).isEqualTo(1);
    assertThat(fail.out()).contains("CERT_EXPIRED").contains("--timestamp-url");
    final JsonNode sig = JSON.readTree(inspect.out()).get("signatures").get(0);
    assertThat(sig.get("timestamp").get("present").asBoolean()).isTrue();
    assertThat(Instant.parse(sig.get("timestamp").get("genTime").asText()))
        .isEqualTo(Instant.ofEpochMilli(v.getSignatures().get(0).getTimestampMillis()));
    assertThat(sig.get("certificates").get(0).get("notAfter").asText()).isEqualTo(now.plus(Duration.ofHours(1))
        .toString());
  }

  @Test
  void wrongIdentity_fails_untrustedIdentity_withRemedyNamingTheStatement() throws IOException {
    // Given
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Path config = notationConfig("strict", "\"ca:test\"",
        "\"x509.subject: CN=someone-else,O=Sigstream,ST=WA,C=US\"", "skip");
    assertThat(sign(refAt(image)).exit()).isZero();

    // When
    final Cli.Result r = verify(config, refAt(image));

    // Then
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("UNTRUSTED_IDENTITY")
        .contains("add \"x509.subject: C=US,ST=WA,O=Sigstream,CN=signer\"")
        .contains("to trustedIdentities of statement \"test\"");
  }

  @Test
  void untrustedRoot_fails_untrustedChain() throws IOException {
    // Given: the trust store holds another root
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    assertThat(sign(refAt(image)).exit()).isZero();
    final Path config = notationConfig("strict", "\"ca:test\"", "\"*\"", "skip");
    Fixtures.write(config.resolve("truststore/x509/ca/test/root.pem"),
        Fixtures.pem(pki.root("CN=Other Root,O=Else,C=US", KeyType.EC_P256).certificate()));

    // When: explicit --trust-policy and --trust-store (the "truststore" directory itself)
    final Cli.Result r = cli().run("verify", "--trust-policy", config.resolve("trustpolicy.oci.json").toString(),
        "--trust-store", config.resolve("truststore").toString(), "--insecure-registry", registry.host(),
        refAt(image));

    // Then
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("UNTRUSTED_CHAIN").contains("add the signer's root or intermediate CA");
  }

  @Test
  void skipLevel_exitsZero_withoutVerifying() throws IOException {
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Path config = tmp.resolve("skip");
    Fixtures.write(config.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"s\","
        + "\"registryScopes\":[\"" + registry.host() + "/" + repo + "\"],\"signatureVerification\":{\"level\":"
        + "\"skip\"},\"trustStores\":[],\"trustedIdentities\":[]}]}");

    final Cli.Result r = verify(config, refAt(image));

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Skipped verification");
  }

  // ------------------------------------------------------------------------------------------------ exit codes

  @Test
  void unreachableRegistry_exits3_registryUnavailable() throws Exception {
    // Given: a loopback port with nothing listening
    final int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    final Path config = notationConfig("*", "strict", "\"ca:test\"", "\"*\"", "skip");
    final String host = "127.0.0.1:" + port;

    // When
    final Cli.Result r = cli().run("verify", "--notation-config", config.toString(), "--insecure-registry", host,
        host + "/app@sha256:" + "a".repeat(64));
    final Cli.Result json = cli().run("verify", "--notation-config", config.toString(), "-o", "json",
        "--insecure-registry", host, host + "/app@sha256:" + "a".repeat(64));

    // Then
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).contains("REGISTRY_UNAVAILABLE");
    assertThat(json.exit()).isEqualTo(3);
    final Verdict v = verdict((json.out()));
    assertThat(v.getOutcome()).isEqualTo(Outcome.ERROR);
    assertThat(v.getReasonCode()).isEqualTo(ReasonCode.REGISTRY_UNAVAILABLE);
    assertThat(v.getArtifact().getDigest()).isEqualTo("sha256:" + "a".repeat(64));
  }

  @Test
  void signToUnreachableRegistry_exits3_withOneLine() {
    final Cli.Result r = cli().run("sign", "--key", key.toString(), "--cert-chain", chain.toString(),
        "127.0.0.1:1/app@sha256:" + "b".repeat(64), "--insecure-registry", "127.0.0.1:1");
    assertThat(r.exit()).as(r.toString()).isEqualTo(3);
    assertThat(r.err()).startsWith("sigstream: ").contains("unavailable");
    assertThat(r.err().lines().count()).isEqualTo(1);
  }

  // ------------------------------------------------------------------------------------------------ inspect, discover

  @Test
  void inspectAndDiscover_showSignaturesSbomsAndTheSbomsOwnSignature() throws Exception {
    // Given: a signed image with a signed SBOM referrer
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Descriptor sbom = Fixtures.pushSbom(client, registry, repo, image);
    final Cli.Result s1 = sign(refAt(image));
    final Cli.Result s2 = cli().run("sign", "--key", key.toString(), "--cert-chain", chain.toString(),
        "--signature-format", "cose", "--insecure-registry", registry.host(), refAt(sbom));
    assertThat(s1.exit()).as(s1.toString()).isZero();
    assertThat(s2.exit()).as(s2.toString()).isZero();
    final Path config = notationConfig("strict", "\"ca:test\"", "\"*\"", "skip");

    // When
    final Cli.Result inspect = cli().run("inspect", "-o", "json", "--insecure-registry", registry.host(),
        refAt(image));
    final Cli.Result inspectText = cli().run("inspect", "--insecure-registry", registry.host(), ref("v1"));
    final Cli.Result discover = cli().run("discover", "-o", "json", "--insecure-registry", registry.host(),
        ref("v1"));
    final Cli.Result discoverText = cli().run("discover", "--insecure-registry", registry.host(), refAt(image));
    final Cli.Result verify = cli().run("verify", "--notation-config", config.toString(), "-o", "json",
        "--insecure-registry", registry.host(), refAt(image));

    // Then
    assertThat(inspect.exit()).as(inspect.toString()).isZero();
    final JsonNode in = JSON.readTree(inspect.out());
    assertThat(in.get("artifactClass").asText()).isEqualTo("CONTAINER_IMAGE");
    assertThat(in.get("evidence")).isNotEmpty();
    assertThat(in.get("signatures")).hasSize(1);
    final JsonNode sig = in.get("signatures").get(0);
    assertThat(sig.get("manifestDigest").asText()).isEqualTo(s1.out().trim());
    assertThat(sig.get("envelopeType").asText()).isEqualTo("application/jose+json");
    assertThat(sig.get("signingScheme").asText()).isEqualTo("notary.x509");
    assertThat(sig.get("signingTime").isNull()).isFalse();
    assertThat(sig.get("certificates")).hasSize(3);
    assertThat(sig.get("certificates").get(0).get("subject").asText()).contains("CN=signer");
    assertThat(sig.get("certificates").get(0).get("sha256").asText()).hasSize(64);
    assertThat(in.get("sboms")).hasSize(1);
    assertThat(in.get("sboms").get(0).get("format").asText()).isEqualTo("spdx-json");
    assertThat(in.get("sboms").get(0).get("packageCount").asInt()).isEqualTo(2);
    assertThat(inspectText.exit()).as(inspectText.toString()).isZero();
    assertThat(inspectText.out()).contains("CONTAINER_IMAGE").contains("cert: C=US,ST=WA,O=Sigstream,CN=signer")
        .contains("SBOMs (1)");

    assertThat(discover.exit()).as(discover.toString()).isZero();
    final JsonNode tree = JSON.readTree(discover.out());
    assertThat(tree.get("digest").asText()).isEqualTo(image.digest().toString());
    assertThat(tree.get("referrers")).hasSize(2);
    final JsonNode sbomNode = find(tree.get("referrers"), sbom.digest().toString());
    assertThat(sbomNode.get("artifactClass").asText()).isEqualTo("SBOM");
    assertThat(sbomNode.get("referrers")).hasSize(1);
    assertThat(sbomNode.get("referrers").get(0).get("artifactClass").asText()).isEqualTo("SIGNATURE");
    assertThat(sbomNode.get("referrers").get(0).get("digest").asText()).isEqualTo(s2.out().trim());
    assertThat(discoverText.out()).contains("├── application/spdx+json [SBOM/spdx-json]")
        .contains("│   └── application/vnd.cncf.notary.signature [SIGNATURE/notation-signature]");
    assertThat(tree.get("artifactClass").asText()).isEqualTo("CONTAINER_IMAGE");

    assertThat(verify.exit()).as(verify.toString()).isZero();
    final Verdict v = verdict((verify.out()));
    assertThat(v.getReferrers().getSboms()).hasSize(1);
    assertThat(v.getReferrers().getSboms().get(0).getSigned()).isTrue();
    assertThat(v.getReferrers().getSboms().get(0).getFormat()).isEqualTo("spdx-json");
    assertThat(v.getReferrers().getSboms().get(0).getPackageCount()).isEqualTo(2);
    assertThat(v.getReferrers().getSignatureCount()).isEqualTo(1);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private Cli cli() {
    return new Cli();
  }

  private String ref(final String tag) {
    return registry.host() + "/" + repo + ":" + tag;
  }

  private String refAt(final Descriptor d) {
    return registry.host() + "/" + repo + "@" + d.digest();
  }

  private Cli.Result sign(final String reference) {
    return cli().run("sign", "--key", key.toString(), "--cert-chain", chain.toString(), "--insecure-registry",
        registry.host(), reference);
  }

  private Cli.Result verify(final Path config, final String reference) {
    return cli().run("verify", "--notation-config", config.toString(), "--insecure-registry", registry.host(),
        reference);
  }

  /**
   * Parses {@code --output json} back into the Avro record; fails unless it fits the Verdict schema exactly.
   */
  static Verdict verdict(final String json) throws Exception {
    return AvroJson.fromJson(JSON.readTree(json), Verdict.class);
  }

  private static JsonNode find(final JsonNode arr, final String digest) {
    for (final JsonNode n : arr) {
      if (n.get("digest").asText().equals(digest)) {
        return n;
      }
    }
    throw new AssertionError(digest + " not in " + arr);
  }

  private byte[] envelopeOf(final String signatureManifestDigest) {
    final Reference r = Reference.repository(registry.host(), repo).withDigest(Digest.parse(signatureManifestDigest));
    final Manifest m = Fixtures.found(client.manifest(r).join());
    return Fixtures.found(client.blob(r, m.layers().get(0)).join());
  }

  /** Pushes {@code envelope} as a Notary signature referrer of {@code subject}. */
  private void pushSignature(final Descriptor subject, final String mediaType, final byte[] envelope) {
    final Reference repoRef = Reference.repository(registry.host(), repo);
    Fixtures.found(client.pushBlob(repoRef, SignatureManifest.EMPTY_CONFIG_MEDIA_TYPE,
        SignatureManifest.EMPTY_CONFIG).join());
    Fixtures.found(client.pushBlob(repoRef, mediaType, envelope).join());
    final SignatureManifest sm = SignatureManifest.of(new TargetDescriptor(subject.mediaType(),
        subject.digest().toString(), subject.size()), mediaType, envelope, List.of(), Instant.now());
    Fixtures.found(client.pushReferrer(repoRef, MediaTypes.OCI_MANIFEST, sm.json()).join());
  }

  /**
   * A Notation configuration directory: {@code ca/test} holds the signer's root, {@code tsa/tsa} the TSA root, and
   * one statement "test" for this repository.
   *
   * @param stores trust store references, e.g. {@code "ca:test", "tsa:tsa"}
   * @param identities trusted identities, JSON strings
   * @param revocation override for revocation (e.g. skip), or null for the level's default
   */
  private Path notationConfig(final String level, final String stores, final String identities,
      final String revocation) throws IOException {
    return notationConfig(registry.host() + "/" + repo, level, stores, identities, revocation);
  }

  private Path notationConfig(final String scope, final String level, final String stores, final String identities,
      final String revocation) throws IOException {
    final Path dir = Files.createTempDirectory(tmp, "notation");
    Fixtures.write(dir.resolve("truststore/x509/ca/test/root.pem"), Fixtures.pem(root.certificate()));
    Fixtures.write(dir.resolve("truststore/x509/tsa/tsa/root.pem"), Fixtures.pem(tsa.rootCertificate()));
    Fixtures.write(dir.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"test\","
        + "\"registryScopes\":[\"" + scope + "\"],\"signatureVerification\":{\"level\":\""
        + level + "\"" + (revocation == null ? "" : ",\"override\":{\"revocation\":\"" + revocation + "\"}")
        + "},\"trustStores\":[" + stores + "],\"trustedIdentities\":[" + identities + "]}]}");
    return dir;
  }
}
