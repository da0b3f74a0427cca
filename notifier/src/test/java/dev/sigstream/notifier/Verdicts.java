package dev.sigstream.notifier;

import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.schemas.AvroSerde;
import dev.sigstream.schemas.avro.AppliedPolicy;
import dev.sigstream.schemas.avro.ArtifactClass;
import dev.sigstream.schemas.avro.ArtifactRef;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.schemas.avro.ReferrersSummary;
import dev.sigstream.schemas.avro.SignatureResult;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.schemas.avro.VerificationLevel;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Test verdicts, built as the verifier would produce them. */
public final class Verdicts {

  public static final String REGISTRY = "registry.example.com";
  public static final String DIGEST = "sha256:" + "a".repeat(64);

  static {
    // Installs Avro's class trust for the generated package (builders need it).
    AvroSerde.of(Verdict.class);
  }

  private Verdicts() {}

  public static Verdict verdict(final String repository, final String digest, final Outcome outcome, final ReasonCode reason, final Instant at) {
    return Verdict.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setArtifact(ArtifactRef.newBuilder().setRegistry(REGISTRY).setRepository(repository).setDigest(digest).setTag("v1").build())
        .setArtifactClass(ArtifactClass.CONTAINER_IMAGE)
        .setOutcome(outcome)
        .setReasonCode(reason)
        .setDetail(outcome == Outcome.PASS ? "signature verified" : "the signer's certificate was revoked")
        .setPolicy(AppliedPolicy.newBuilder().setStatement("prod").setLevel(VerificationLevel.STRICT).build())
        .setSignatures(List.of(SignatureResult.newBuilder().setSignerSubject("CN=release,O=Example").setVerified(outcome == Outcome.PASS).build()))
        .setReferrers(ReferrersSummary.newBuilder().build())
        .setDecidedAt(at)
        .setVerifierVersion("test")
        .build();
  }

  public static String key(final String repository, final String digest) {
    return REGISTRY + "/" + repository + "@" + digest;
  }

  public static byte[] bytes(final Verdict v) {
    return AvroSerde.of(Verdict.class).serializer().serialize("verdicts.v1", v);
  }

  public static VerdictView view(final String repository, final Outcome outcome, final ReasonCode reason, final Instant at) {
    return VerdictMapper.toView(key(repository, DIGEST), verdict(repository, DIGEST, outcome, reason, at));
  }
}
