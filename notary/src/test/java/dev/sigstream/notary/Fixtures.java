package dev.sigstream.notary;

import dev.sigstream.notary.cert.Certificates;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.revocation.RevocationChecker;
import dev.sigstream.notary.revocation.RevocationResult;
import dev.sigstream.notary.revocation.RevocationStatus;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.testing.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Shared test material: the fixed clock of the vectors, vector paths, simple ports. */
public final class Fixtures {

  private Fixtures() {}

  public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  public static Path vector(final String relative) {
    return Reference.resolve("notary/vectors/" + relative);
  }

  public static byte[] read(final Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<X509Certificate> certs(final Path p) {
    try {
      return Certificates.parsePemOrDer(read(p));
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A revocation checker that answers a fixed status and counts nothing (for chains without AIA/CDP). */
  public static RevocationChecker revocation(final RevocationStatus status) {
    return (chain, purpose, signingTime) -> new RevocationResult(status, "fixed " + status, List.of());
  }

  public static NotaryVerifier.Builder verifier(final String policyJson, final TrustStore store) {
    return NotaryVerifier.builder()
        .trustPolicy(TrustPolicyDocument.parse(policyJson))
        .trustStore(store)
        .clock(CLOCK)
        .revocationChecker(revocation(RevocationStatus.OK));
  }

  /** A one-statement OCI policy. */
  public static String policy(final String scope, final String level, final String overrides, final String stores,
      final String identities, final String verifyTimestamp) {
    return "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"test\",\"registryScopes\":[\"" + scope + "\"],"
        + "\"signatureVerification\":{\"level\":\"" + level + "\""
        + (overrides == null ? "" : ",\"override\":" + overrides)
        + (verifyTimestamp == null ? "" : ",\"verifyTimestamp\":\"" + verifyTimestamp + "\"") + "},"
        + "\"trustStores\":" + stores + ",\"trustedIdentities\":" + identities + "}]}";
  }
}
