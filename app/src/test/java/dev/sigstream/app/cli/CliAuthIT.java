package dev.sigstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.auth.Secret;
import dev.sigstream.oci.client.OciRegistryHttpClient;
import dev.sigstream.oci.client.RegistryConfig;
import dev.sigstream.oci.client.RegistryEntry;
import dev.sigstream.testing.pki.CertSpec;
import dev.sigstream.testing.pki.Issued;
import dev.sigstream.testing.pki.KeyType;
import dev.sigstream.testing.pki.TestPki;
import dev.sigstream.testing.registry.RegistryAuth;
import dev.sigstream.testing.registry.RegistryExtension;
import dev.sigstream.testing.registry.TestRegistry;
import dev.sigstream.testing.registry.WithRegistryAuth;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Registry credentials (flags and Docker config.json) and PKCS#12 keys, against a registry requiring Basic auth. */
@Tag("integration")
@Timeout(120)
@ExtendWith(RegistryExtension.class)
class CliAuthIT {

  private static TestPki pki;
  private static Issued signer;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startPki() {
    pki = TestPki.start();
    signer = pki.root("CN=Auth Root,O=Sigstream,C=US", KeyType.EC_P256)
        .leaf(CertSpec.leaf("CN=ci,O=Sigstream,ST=WA,C=US").keyType(KeyType.EC_P256));
  }

  @AfterAll
  static void stopPki() {
    pki.close();
  }

  @Test
  void signWithPkcs12AndPasswordFlags_thenVerifyWithDockerConfig_andWithoutCredentialsExit3(
      @WithRegistryAuth(RegistryAuth.BASIC) final TestRegistry registry, final TestInfo info) throws Exception {
    // Given: an image in a registry that requires Basic auth, and a PKCS#12 key with a password
    final String repo = RegistryExtension.uniqueRepository(info);
    final RegistryClient admin = OciRegistryHttpClient.create(RegistryConfig.of(RegistryEntry.insecure(
        registry.host(), new Credentials.Basic(registry.username(), Secret.of(registry.password())))),
        Clock.systemUTC());
    final Descriptor image = Fixtures.pushImage(admin, registry, repo, "v1");
    final String ref = registry.host() + "/" + repo + "@" + image.digest();
    final Path p12 = pkcs12("s3cret");
    final Path dockerDir = tmp.resolve("docker");
    Fixtures.write(dockerDir.resolve("config.json"), "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\""
        + Base64.getEncoder().encodeToString((registry.username() + ":" + registry.password())
            .getBytes(StandardCharsets.UTF_8)) + "\"}}}");
    final Path config = tmp.resolve("notation");
    Fixtures.write(config.resolve("truststore/x509/ca/ci/root.pem"), Fixtures.pem(signer.root()));
    Fixtures.write(config.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"ci\","
        + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\",\"override\":{\"revocation\":"
        + "\"skip\"}},\"trustStores\":[\"ca:ci\"],"
        + "\"trustedIdentities\":[\"x509.subject: CN=ci,O=Sigstream,ST=WA,C=US\"]}]}");

    // When
    final Cli.Result signed = new Cli().env(Map.of(SignCommand.KEY_PASSWORD_ENV, "s3cret"))
        .stdin(registry.password() + "\n")
        .run("sign", "--key", p12.toString(), "-u", registry.username(), "--password-stdin",
            "--insecure-registry", registry.host(), ref);
    final Cli.Result viaDockerConfig = new Cli().env(Map.of("DOCKER_CONFIG", dockerDir.toString(),
        "NOTATION_CONFIG", config.toString())).run("verify", "--insecure-registry", registry.host(), ref);
    final Cli.Result viaFlag = new Cli().env(Map.of("NOTATION_CONFIG", config.toString()))
        .run("verify", "--registry-config", dockerDir.resolve("config.json").toString(),
            "--insecure-registry", registry.host(), ref);
    Fixtures.write(tmp.resolve("home/.docker/config.json"), Files.readString(dockerDir.resolve("config.json")));
    final Cli.Result viaHome = new Cli().home(tmp.resolve("home")).env(Map.of("NOTATION_CONFIG", config.toString()))
        .run("verify", "--insecure-registry", registry.host(), ref);
    final Cli.Result anonymous = new Cli().env(Map.of("NOTATION_CONFIG", config.toString()))
        .run("verify", "--insecure-registry", registry.host(), ref);
    final Cli.Result wrongKeyPassword = new Cli().env(Map.of(SignCommand.KEY_PASSWORD_ENV, "wrong"))
        .run("sign", "--key", p12.toString(), "--registry-config", dockerDir.resolve("config.json").toString(),
            "--insecure-registry", registry.host(), ref);

    // Then
    assertThat(signed.exit()).as(signed.toString()).isZero();
    assertThat(viaDockerConfig.exit()).as(viaDockerConfig.toString()).isZero();
    assertThat(viaFlag.exit()).as(viaFlag.toString()).isZero();
    assertThat(viaHome.exit()).as(viaHome.toString()).isZero();
    assertThat(anonymous.exit()).as(anonymous.toString()).isEqualTo(3);
    assertThat(anonymous.out()).contains("REGISTRY_UNAUTHORIZED");
    assertThat(anonymous.out() + anonymous.err()).doesNotContain(registry.password());
    assertThat(wrongKeyPassword.exit()).as(wrongKeyPassword.toString()).isEqualTo(2);
    assertThat(wrongKeyPassword.err()).startsWith("sigstream: cannot load signing key");
  }

  private Path pkcs12(final String password) throws Exception {
    final KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("signer", signer.privateKey(), password.toCharArray(),
        signer.chain().toArray(Certificate[]::new));
    final Path file = tmp.resolve("signer.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password.toCharArray());
    }
    return file;
  }

  @Test
  void bearerTokenRealmOnAnotherHost_isContactedOnlyWhenAllowed(
      @WithRegistryAuth(RegistryAuth.BEARER) final TestRegistry registry, final TestInfo info) throws Exception {
    // Given: a token-auth registry whose realm is a different host:port, and a signed image
    final String repo = RegistryExtension.uniqueRepository(info);
    final RegistryClient admin = OciRegistryHttpClient.create(RegistryConfig.of(RegistryEntry.insecure(
        registry.host(), new Credentials.Basic(registry.username(), Secret.of(registry.password())))
        .withRedirectHosts(java.util.Set.of(registry.tokenRealmHost()))), Clock.systemUTC());
    final Descriptor image = Fixtures.pushImage(admin, registry, repo, "v1");
    final String ref = registry.host() + "/" + repo + "@" + image.digest();
    final Path key = Fixtures.write(tmp.resolve("k.pem"), Fixtures.pem(signer.privateKey()));
    final Path chain = Fixtures.write(tmp.resolve("c.pem"), Fixtures.pem(signer.chain()));
    final Path config = tmp.resolve("notation");
    Fixtures.write(config.resolve("truststore/x509/ca/ci/root.pem"), Fixtures.pem(signer.root()));
    Fixtures.write(config.resolve("trustpolicy.oci.json"), "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"ci\","
        + "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":\"strict\",\"override\":{\"revocation\":"
        + "\"skip\"}},\"trustStores\":[\"ca:ci\"],\"trustedIdentities\":[\"*\"]}]}");

    // When
    final Cli.Result signed = new Cli().stdin(registry.password())
        .run("sign", "--key", key.toString(), "--cert-chain", chain.toString(), "-u", registry.username(),
            "--password-stdin", "--insecure-registry", registry.host(), "--insecure-registry",
            registry.tokenRealmHost(), "--allow-registry", registry.tokenRealmHost(), ref);
    final Cli.Result allowed = new Cli().stdin(registry.password())
        .run("verify", "--notation-config", config.toString(), "-u", registry.username(), "--password-stdin",
            "--insecure-registry", registry.host(), "--insecure-registry", registry.tokenRealmHost(),
            "--allow-registry", registry.tokenRealmHost(), ref);
    final Cli.Result notAllowed = new Cli().stdin(registry.password())
        .run("verify", "--notation-config", config.toString(), "-u", registry.username(), "--password-stdin",
            "--insecure-registry", registry.host(), ref);

    // Then
    assertThat(signed.exit()).as(signed.toString()).isZero();
    assertThat(allowed.exit()).as(allowed.toString()).isZero();
    assertThat(notAllowed.exit()).as(notAllowed.toString()).isEqualTo(2);
    assertThat(notAllowed.out()).contains("REGISTRY_NOT_ALLOWED").contains("--allow-registry");
    assertThat(registry.tokenRequests()).isPositive();
  }
}
