package dev.sigstream.app.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.signing.azure.FakeKeyVault;
import dev.sigstream.signing.azure.FakeTrustedSigning;
import dev.sigstream.signing.azure.LoopbackTls;
import dev.sigstream.testing.hsm.SoftHsm;
import dev.sigstream.testing.pki.Ca;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.pki.Tsa;
import dev.sigstream.testing.registry.RegistryExtension;
import dev.sigstream.testing.registry.TestRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sigstream sign --key-provider azure-keyvault|trusted-signing|pkcs11} end to end: the key is in a loopback
 * Key Vault or Trusted Signing fake (real signatures, documented request shapes, over https) or in a real SoftHSM
 * token; the signature is pushed to the real registry harness and {@code sigstream verify} checks it against the
 * test PKI (live OCSP, TSA over loopback HTTP). Failures exit 2 (configuration) or 3 (service) and push nothing.
 */
@Tag("integration")
@Timeout(180)
@ExtendWith(RegistryExtension.class)
class CliRemoteKeysIT {

  private static final String SIGNER_DN = "CN=remote signer,O=Sigstream,ST=WA,C=US";
  private static final String PIN = "2468";

  private static TestPki pki;
  private static Ca root;
  private static Ca intermediate;
  private static Tsa tsa;
  private static LoopbackTls tls;
  private static SoftHsm.Token token;

  @TempDir
  static Path shared;
  @TempDir
  Path tmp;

  private TestRegistry registry;
  private RegistryClient client;
  private String repo;
  private FakeKeyVault vault;
  private FakeTrustedSigning trustedSigning;

  @BeforeAll
  static void start() throws Exception {
    token = SoftHsm.initToken("sigstream-cli-" + ProcessHandle.current().pid(), PIN);
    pki = TestPki.start();
    root = pki.root("CN=Remote Keys Root,O=Sigstream,C=US", KeyType.EC_P384);
    intermediate = root.intermediate("CN=Remote Keys CA,O=Sigstream,C=US", KeyType.EC_P256);
    tsa = pki.tsa();
    tls = LoopbackTls.create(shared);
  }

  @AfterAll
  static void stop() {
    pki.close();
  }

  @BeforeEach
  void setUp(final TestRegistry registry, final TestInfo info) {
    this.registry = registry;
    this.client = Fixtures.client(registry);
    this.repo = RegistryExtension.uniqueRepository(info);
    this.vault = new FakeKeyVault(tls);
    this.trustedSigning = new FakeTrustedSigning(tls);
  }

  @AfterEach
  void tearDown() {
    vault.close();
    trustedSigning.close();
  }

  @Test
  void keyVaultKey_signsJws_andVerifyPasses() throws Exception {
    // Given: an RSA-3072 key in the vault; the vault holds the leaf, the issuers come from a file
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SIGNER_DN).keyType(KeyType.RSA_3072));
    vault.addKey("release", "0a1b2c", leaf.privateKey(), leaf.certificate(), "PS384");
    final Path issuers = Fixtures.write(tmp.resolve("issuers.pem"), Fixtures.pem(leaf.chain().subList(1, 3)));

    // When
    final Cli.Result sign = run(FakeKeyVault.TOKEN, "", "sign", "--key-provider", "azure-keyvault", "--key-id",
        vault.keyId("release", "0a1b2c"), "--cert-chain", issuers.toString(), "--timestamp-url",
        tsa.url().toString(), "--insecure-registry",
        registry.host(), refAt(image));
    final Cli.Result verify = verify(refAt(image));

    // Then
    assertThat(sign.exit()).as(sign.toString()).isZero();
    assertThat(sign.err()).contains("PS384").contains("Key Vault key");
    assertThat(sign.err() + sign.out()).doesNotContain(FakeKeyVault.TOKEN);
    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(verify.out()).contains("Successfully verified signature").contains("CN=remote signer");
  }

  @Test
  void keyVaultEcKey_signsCoseWithATimestamp_andVerifyPasses() throws Exception {
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SIGNER_DN).keyType(KeyType.EC_P521));
    vault.addKey("ec", "v7", leaf.privateKey(), leaf.certificate(), "ES512");
    final Path chain = Fixtures.write(tmp.resolve("chain.pem"), Fixtures.pem(leaf.chain()));
    final Cli.Result sign = run(FakeKeyVault.TOKEN, "", "sign", "--key-provider", "azure-keyvault", "--key-id",
        vault.keyId("ec", "v7"), "--cert-chain", chain.toString(), "--signature-format", "cose", "--timestamp-url",
        tsa.url().toString(), "--insecure-registry", registry.host(), refAt(image));
    assertThat(sign.exit()).as(sign.toString()).isZero();
    assertThat(sign.err()).contains("timestamped");
    assertThat(verify(refAt(image)).exit()).isZero();
  }

  @Test
  void keyVaultPermissionDenied_exits2_withOneLine_andPushesNothing() throws Exception {
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SIGNER_DN).keyType(KeyType.EC_P256));
    vault.addKey("release", "v1", leaf.privateKey(), leaf.certificate(), "ES256");
    vault.server.stubFor(post(urlPathEqualTo("/keys/release/v1/sign")).atPriority(2)
        .withHeader("Authorization", equalTo("Bearer " + FakeKeyVault.TOKEN))
        .willReturn(FakeKeyVault.json(403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"no sign permission\"}}")));
    final Path issuers = Fixtures.write(tmp.resolve("issuers.pem"), Fixtures.pem(leaf.chain().subList(1, 3)));

    final Cli.Result sign = run(FakeKeyVault.TOKEN, "", "sign", "--key-provider", "azure-keyvault", "--key-id",
        vault.keyId("release", "v1"), "--cert-chain", issuers.toString(), "--insecure-registry", registry.host(),
        refAt(image));

    assertThat(sign.exit()).as(sign.toString()).isEqualTo(2);
    assertThat(sign.err().trim().lines()).hasSize(1);
    assertThat(sign.err()).contains("permission denied").contains("Key Vault Crypto User");
    assertThat(verify(refAt(image)).out()).contains("NO_SIGNATURE");
  }

  @Test
  void keyVaultThrottled_exits3() throws Exception {
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SIGNER_DN).keyType(KeyType.EC_P256));
    vault.addKey("release", "v1", leaf.privateKey(), leaf.certificate(), "ES256");
    vault.server.stubFor(post(urlPathEqualTo("/keys/release/v1/sign")).atPriority(2)
        .withHeader("Authorization", equalTo("Bearer " + FakeKeyVault.TOKEN))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));
    final Path issuers = Fixtures.write(tmp.resolve("issuers.pem"), Fixtures.pem(leaf.chain().subList(1, 3)));
    final Cli.Result sign = run(FakeKeyVault.TOKEN, "", "sign", "--key-provider", "azure-keyvault", "--key-id",
        vault.keyId("release", "v1"), "--cert-chain", issuers.toString(), "--insecure-registry", registry.host(),
        refAt(image));
    assertThat(sign.exit()).as(sign.toString()).isEqualTo(3);
    assertThat(sign.err()).contains("throttled");
  }

  @Test
  void trustedSigning_isTimestampedAutomatically_andVerifyPasses() throws Exception {
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SIGNER_DN).keyType(KeyType.RSA_3072));
    trustedSigning.profile(leaf.privateKey(), leaf.chain());

    final Cli.Result sign = run(FakeTrustedSigning.TOKEN, "", "sign", "--key-provider", "trusted-signing",
        "--trusted-signing-endpoint", trustedSigning.endpoint().toString(), "--trusted-signing-account",
        FakeTrustedSigning.ACCOUNT, "--trusted-signing-profile", FakeTrustedSigning.PROFILE, "--timestamp-url",
        tsa.url().toString(), "--signature-format", "cose", "--insecure-registry", registry.host(), refAt(image));
    final Cli.Result verify = verify(refAt(image));

    assertThat(sign.exit()).as(sign.toString()).isZero();
    assertThat(sign.err()).contains("timestamped").contains("Trusted Signing");
    assertThat(verify.exit()).as(verify.toString()).isZero();
  }

  @Test
  void trustedSigningWithoutATimestampAuthority_exits2_beforeAnyCall() throws Exception {
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Cli.Result sign = run(FakeTrustedSigning.TOKEN, "", "sign", "--key-provider", "trusted-signing",
        "--trusted-signing-endpoint", trustedSigning.endpoint().toString(), "--trusted-signing-account",
        FakeTrustedSigning.ACCOUNT, "--trusted-signing-profile", FakeTrustedSigning.PROFILE, "--insecure-registry",
        registry.host(), refAt(image));
    assertThat(sign.exit()).as(sign.toString()).isEqualTo(2);
    assertThat(sign.err()).contains("--timestamp-url");
    assertThat(trustedSigning.server.getAllServeEvents()).isEmpty();
  }

  @Test
  void pkcs11KeyInSoftHsm_signs_pushes_andVerifyPasses() throws Exception {
    // Given: an EC P-384 key generated inside the token, stored with its chain
    final Descriptor image = Fixtures.pushImage(client, registry, repo, "v1");
    final Provider p = Security.getProvider("SunPKCS11").configure("--" + token.sunPkcs11Config());
    final KeyStore ks = KeyStore.getInstance("PKCS11", p);
    ks.load(null, PIN.toCharArray());
    final KeyPairGenerator g = KeyPairGenerator.getInstance("EC", p);
    g.initialize(new ECGenParameterSpec("secp384r1"));
    final KeyPair kp = g.generateKeyPair();
    final Issued leaf = intermediate.leaf(CertSpec.leaf(SIGNER_DN).keyType(KeyType.EC_P384).keyPair(kp));
    ks.setKeyEntry("release-key", kp.getPrivate(), null, leaf.chain().toArray(new X509Certificate[0]));

    // When: the PIN comes from stdin, never from an argument
    final Cli.Result sign = run(null, PIN + "\n", "sign", "--key-provider", "pkcs11", "--pkcs11-module",
        token.library().toString(), "--pkcs11-slot", Long.toString(token.slot()), "--key-id", "release-key",
        "--key-password-stdin", "--timestamp-url", tsa.url().toString(), "--insecure-registry", registry.host(),
        refAt(image));
    final Cli.Result verify = verify(refAt(image));

    // Then
    assertThat(sign.exit()).as(sign.toString()).isZero();
    assertThat(sign.err()).contains("ES384");
    assertThat(verify.exit()).as(verify.toString()).isZero();
    assertThat(verify.out()).contains("CN=remote signer");
  }

  @Test
  void optionsOfAnotherProvider_andMissingOptions_areUsageErrors() {
    final String ref = registry.host() + "/" + repo + ":v1";
    assertThat(run(null, "", "sign", "--key-provider", "azure-keyvault", "--key", "k.pem", ref).err())
        .contains("--key does not apply to --key-provider azure-keyvault");
    assertThat(run(null, "", "sign", "--key-provider", "azure-keyvault", ref).exit()).isEqualTo(2);
    assertThat(run(null, "", "sign", "--key-provider", "pkcs11", "--key-id", "x", ref).err())
        .contains("--pkcs11-module");
    assertThat(run(null, "", "sign", "--key-provider", "gcp-kms", ref).err()).contains("--key-provider must be");
    assertThat(run(null, "", "sign", ref).err()).contains("needs --key");
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  private Cli.Result verify(final String reference) throws IOException {
    final Path dir = Files.createTempDirectory(tmp, "notation");
    Fixtures.write(dir.resolve("truststore/x509/ca/test/root.pem"), Fixtures.pem(root.certificate()));
    Fixtures.write(dir.resolve("truststore/x509/tsa/tsa/root.pem"), Fixtures.pem(tsa.rootCertificate()));
    Fixtures.write(dir.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"test\","
        + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\"},"
        + "\"trustStores\":[\"ca:test\",\"tsa:tsa\"],\"trustedIdentities\":[\"x509.subject: " + SIGNER_DN + "\"]}]}");
    return run(null, "", "verify", "--notation-config", dir.toString(), "--insecure-registry", registry.host(),
        reference);
  }

  /** The real command line in-process, as {@link Cli} runs it, with the Azure connection pointed at the fakes. */
  private static Cli.Result run(final String azureToken, final String stdin, final String... args) {
    final CommandLine cl = Cli.newCommandLine();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    for (final CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommand() instanceof CliCommand c) {
        c.env = Map.of();
        c.clock = Clock.systemUTC();
        c.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        c.userHome = Path.of("/nonexistent-home");
      }
      if (sub.getCommand() instanceof SignCommand s) {
        final LoopbackTls.FixedCredential credential = new LoopbackTls.FixedCredential(
            azureToken == null ? "unused" : azureToken);
        s.azure = (env, timeout) -> tls.connection(credential, Duration.ofSeconds(30));
      }
    }
    final int exit = cl.execute(args);
    return new Cli.Result(exit, out.toString(), err.toString());
  }

  private String refAt(final Descriptor d) {
    return registry.host() + "/" + repo + "@" + d.digest();
  }
}
