package dev.sigstream.notary;

import dev.sigstream.notary.CheckResult.Action;
import dev.sigstream.notary.cert.Certificates;
import dev.sigstream.notary.envelope.EnvelopeException;
import dev.sigstream.notary.envelope.Envelopes;
import dev.sigstream.notary.envelope.ParsedEnvelope;
import dev.sigstream.notary.envelope.Payload;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.policy.TrustPolicyDocument;
import dev.sigstream.notary.policy.TrustPolicyStatement;
import dev.sigstream.notary.policy.ValidationAction;
import dev.sigstream.notary.policy.ValidationType;
import dev.sigstream.notary.policy.VerificationLevel;
import dev.sigstream.notary.revocation.RevocationChecker;
import dev.sigstream.notary.revocation.RevocationResult;
import dev.sigstream.notary.timestamp.TimestampVerifier;
import dev.sigstream.notary.truststore.TrustStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Notary Project signatures (JWS and COSE) against a trust policy and trust store, exactly as the
 * specification's verification procedure and level table prescribe (SPEC-NOTES sections 9-11; divergences from
 * notation-go are listed in {@code docs/notary-conformance.md}).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Immutable and thread-safe; built once from trust material, with no network access at build time. Reload
 *       by building a new instance.
 *   <li>No public method throws for bad input: malformed envelopes, certificates, timestamps and references
 *       become failed checks with a stable {@link ReasonCode}. Only a null argument is a bug and throws.
 *   <li>A PASS requires a valid signature, by a chain that satisfies the certificate rules and contains a
 *       certificate of a store the applicable statement names (unless authenticity is only logged by the policy),
 *       over a payload naming exactly the target's media type, digest and size.
 *   <li>Time comes only from the injected {@link Clock}; network only through the injected
 *       {@link RevocationChecker} and {@link TimestampVerifier}.
 * </ul>
 */
public final class NotaryVerifier {

  private static final Logger log = LoggerFactory.getLogger(NotaryVerifier.class);

  /** notation's {@code --max-signatures} default. */
  public static final int DEFAULT_MAX_SIGNATURES = 100;

  private final TrustPolicyDocument policy;
  private final Clock clock;
  private final RevocationChecker revocationChecker;
  private final AuthenticTimestampCheck authenticTimestamp;
  private final int maxSignatures;
  private final int maxEnvelopeBytes;
  private static final int MAX_MEMOISED_SELECTIONS = 10_000;
  private final java.util.concurrent.ConcurrentHashMap<String, PolicySelection.Applicable> selections =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ChainCache chainCache;
  private final Map<String, StatementTrust> trustByStatement;

  private NotaryVerifier(final Builder b) {
    this.policy = Objects.requireNonNull(b.policy, "trustPolicy");
    final TrustStore store = Objects.requireNonNull(b.trustStore, "trustStore");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.revocationChecker = Objects.requireNonNull(b.revocationChecker, "revocationChecker");
    this.authenticTimestamp = new AuthenticTimestampCheck(b.timestampVerifier);
    if (b.maxSignatures < 1) {
      throw new IllegalArgumentException("maxSignatures must be >= 1");
    }
    this.maxSignatures = b.maxSignatures;
    this.maxEnvelopeBytes = b.maxEnvelopeBytes;
    this.chainCache = new ChainCache(b.chainCacheSize);
    final Map<String, StatementTrust> trust = new HashMap<>();
    for (final TrustPolicyStatement s : policy.statements()) {
      trust.put(s.name(), StatementTrust.of(s, store));
      if (s.level() != VerificationLevel.SKIP) {
        for (final ValidationType t : ValidationType.values()) {
          if (s.action(t) != ValidationAction.ENFORCE) {
            log.warn("trust policy statement {} does not enforce {} (action {})", s.name(), t.id(), s.action(t).id());
          }
        }
      } else {
        log.warn("trust policy statement {} skips signature verification for scopes {}", s.name(), s.registryScopes());
      }
    }
    this.trustByStatement = Map.copyOf(trust);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; every setter is required except the limits and the timestamp verifier. */
  public static final class Builder {
    private TrustPolicyDocument policy;
    private TrustStore trustStore;
    private Clock clock;
    private RevocationChecker revocationChecker;
    private TimestampVerifier timestampVerifier;
    private int maxSignatures = DEFAULT_MAX_SIGNATURES;
    private int maxEnvelopeBytes = Envelopes.DEFAULT_MAX_ENVELOPE_BYTES;
    private int chainCacheSize = 10_000;

    private Builder() {}

    public Builder trustPolicy(final TrustPolicyDocument policy) {
      this.policy = policy;
      return this;
    }

    public Builder trustStore(final TrustStore trustStore) {
      this.trustStore = trustStore;
      return this;
    }

    public Builder clock(final Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Revocation of code-signing chains (the TSA chain is the timestamp verifier's business). */
    public Builder revocationChecker(final RevocationChecker revocationChecker) {
      this.revocationChecker = revocationChecker;
      return this;
    }

    /**
     * RFC 3161 verification. Without one, a signature whose policy requires timestamp verification gets an
     * inconclusive authentic-timestamp result.
     */
    public Builder timestampVerifier(final TimestampVerifier timestampVerifier) {
      this.timestampVerifier = timestampVerifier;
      return this;
    }

    /** Signatures tried per artifact (default 100). */
    public Builder maxSignatures(final int maxSignatures) {
      this.maxSignatures = maxSignatures;
      return this;
    }

    /** Largest envelope accepted (default 32 MiB). */
    public Builder maxEnvelopeBytes(final int maxEnvelopeBytes) {
      this.maxEnvelopeBytes = maxEnvelopeBytes;
      return this;
    }

    /** Distinct certificate chains kept validated (default 10 000; 0 disables the cache). */
    public Builder chainCacheSize(final int chainCacheSize) {
      this.chainCacheSize = chainCacheSize;
      return this;
    }

    public NotaryVerifier build() {
      return new NotaryVerifier(this);
    }
  }

  /** The trust policy statement for {@code registry/repository@digest}. Never throws for a bad reference. */
  public PolicySelection selectPolicy(final String reference) {
    Objects.requireNonNull(reference, "reference");
    if (policy.kind() != TrustPolicyDocument.Kind.OCI) {
      return new PolicySelection.NotApplicable(ReasonCode.POLICY_INVALID, "the trust policy is not an OCI policy");
    }
    // Selection depends only on the text before '@' (the digest is not part of scope matching), and the policy is
    // immutable, so applicable selections are memoised: the pipeline sees the same repositories over and over, and
    // re-validating the reference with the scope regexes on every signature showed up in the verify profile.
    final int at = reference.indexOf('@');
    final String key = at < 0 ? null : reference.substring(0, at);
    if (key != null) {
      final PolicySelection.Applicable hit = selections.get(key);
      if (hit != null) {
        return hit;
      }
    }
    final PolicySelection selected;
    try {
      selected = policy.select(reference)
          .<PolicySelection>map(PolicySelection.Applicable::new)
          .orElseGet(() -> new PolicySelection.NotApplicable(ReasonCode.NO_APPLICABLE_POLICY,
              "artifact \"" + reference + "\" has no applicable oci trust policy statement"));
    } catch (final IllegalArgumentException e) {
      return new PolicySelection.NotApplicable(ReasonCode.POLICY_INVALID, e.getMessage());
    }
    if (key != null && selected instanceof PolicySelection.Applicable a) {
      if (selections.size() >= MAX_MEMOISED_SELECTIONS) {
        selections.clear(); // bounded; a rebuild costs one regex match per repository
      }
      selections.put(key, a);
    }
    return selected;
  }

  /**
   * Verifies an OCI artifact.
   *
   * @param reference {@code registry/repository@digest}; selects the policy statement
   * @param target the artifact descriptor resolved from the registry
   * @param signatures candidate envelopes in the order to try
   * @param userMetadata key/values that must all appear in the signed payload's annotations (may be empty)
   */
  public VerificationResult verify(
      final String reference, final TargetDescriptor target, final List<SignatureCandidate> signatures,
      final Map<String, String> userMetadata) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(signatures, "signatures");
    Objects.requireNonNull(userMetadata, "userMetadata");
    final PolicySelection sel = selectPolicy(reference);
    if (sel instanceof PolicySelection.NotApplicable na) {
      return new VerificationResult(VerificationResult.Outcome.FAIL, na.reason(), na.detail(), null, List.of(),
          List.of());
    }
    return verifyWith(((PolicySelection.Applicable) sel).statement(), target, signatures, userMetadata);
  }

  /**
   * Verifies against a given statement of this verifier's policy document: for blob documents (select it with
   * {@link TrustPolicyDocument#selectBlob}) or when the caller already selected one.
   *
   * @throws IllegalArgumentException when the statement is not one of this verifier's document
   */
  public VerificationResult verifyWith(
      final TrustPolicyStatement statement, final TargetDescriptor target, final List<SignatureCandidate> signatures,
      final Map<String, String> userMetadata) {
    final StatementTrust trust = trustByStatement.get(statement.name());
    if (trust == null || trust.statement != statement && !trust.statement.equals(statement)) {
      throw new IllegalArgumentException("statement \"" + statement.name() + "\" is not part of this verifier's policy");
    }
    final VerificationResult.AppliedPolicy applied =
        new VerificationResult.AppliedPolicy(statement.name(), statement.level());
    if (statement.level() == VerificationLevel.SKIP) {
      return new VerificationResult(VerificationResult.Outcome.SKIPPED, ReasonCode.POLICY_SKIPPED,
          "trust policy statement \"" + statement.name() + "\" is configured to skip signature verification",
          applied, List.of(), List.of());
    }
    if (signatures.isEmpty()) {
      return new VerificationResult(VerificationResult.Outcome.FAIL, ReasonCode.NO_SIGNATURE,
          "no signature is associated with the artifact", applied, List.of(), List.of());
    }
    final Instant now = clock.instant();
    final List<SignatureResult> results = new ArrayList<>();
    final List<CheckResult> resultWarnings = new ArrayList<>();
    final int limit = Math.min(signatures.size(), maxSignatures);
    if (signatures.size() > maxSignatures) {
      resultWarnings.add(CheckResult.failed(Check.POLICY, Action.LOGGED, ReasonCode.TOO_MANY_SIGNATURES,
          signatures.size() + " signatures found; only the first " + maxSignatures + " are evaluated"));
    }
    for (int i = 0; i < limit; i++) {
      final SignatureCandidate c = signatures.get(i);
      SignatureResult r;
      try {
        r = verifyOne(c, statement, trust, target, userMetadata, now);
      } catch (final RuntimeException | StackOverflowError e) {
        // Defensive: a bug or a provider failure must not escape; it is an inconclusive result.
        log.error("unexpected failure verifying signature {}", c.manifestDigest(), e);
        r = new SignatureResult(c.manifestDigest(), c.envelopeMediaType(), null, null, null, null, null, null, null,
            false, List.of(CheckResult.failed(Check.INTEGRITY, Action.ENFORCED, ReasonCode.INTERNAL_ERROR,
                "internal error: " + e.getClass().getSimpleName())));
      }
      results.add(r);
      if (r.verified()) {
        final List<CheckResult> warnings = new ArrayList<>(resultWarnings);
        addWarnings(r, warnings);
        return new VerificationResult(VerificationResult.Outcome.PASS, ReasonCode.OK,
            "signature " + (i + 1) + " of " + signatures.size() + " satisfies trust policy statement \""
                + statement.name() + "\"", applied, results, warnings);
      }
    }
    // Nothing verified: decide FAIL vs ERROR, and the reason.
    final List<CheckResult> warnings = new ArrayList<>(resultWarnings);
    CheckResult firstDefinite = null;
    CheckResult firstInconclusive = null;
    for (final SignatureResult r : results) {
      addWarnings(r, warnings);
      final Optional<CheckResult> d = r.decisiveFailure();
      if (d.isPresent()) {
        if (isInconclusive(d.get().reason())) {
          firstInconclusive = firstInconclusive == null ? d.get() : firstInconclusive;
        } else {
          firstDefinite = firstDefinite == null ? d.get() : firstDefinite;
        }
      }
    }
    if (signatures.size() > maxSignatures) {
      return new VerificationResult(VerificationResult.Outcome.FAIL, ReasonCode.TOO_MANY_SIGNATURES,
          "none of the first " + maxSignatures + " of " + signatures.size() + " signatures satisfies the policy;"
              + " evaluation stopped at the configured limit", applied, results, warnings);
    }
    if (firstDefinite == null && firstInconclusive != null) {
      return new VerificationResult(VerificationResult.Outcome.ERROR, firstInconclusive.reason(),
          firstInconclusive.detail(), applied, results, warnings);
    }
    final CheckResult decisive = firstDefinite;
    return new VerificationResult(VerificationResult.Outcome.FAIL,
        decisive == null ? ReasonCode.SIGNATURE_INVALID : decisive.reason(),
        decisive == null ? "no signature satisfies the policy" : decisive.detail(), applied, results, warnings);
  }

  /** Reasons where the check could not reach a verdict; retrying later (or fixing configuration) may help. */
  static boolean isInconclusive(final ReasonCode r) {
    return r == ReasonCode.TRUST_STORE_MISSING || r == ReasonCode.REVOCATION_UNKNOWN
        || r == ReasonCode.INTERNAL_ERROR;
  }

  /** Parses an envelope for display, without verifying anything. Never throws for bad input. */
  public static EnvelopeInspection inspect(final String mediaType, final byte[] envelope) {
    final ParsedEnvelope env;
    try {
      env = Envelopes.parse(mediaType, envelope, Envelopes.DEFAULT_MAX_ENVELOPE_BYTES);
    } catch (final EnvelopeException e) {
      return new EnvelopeInspection(false, e.reason(), e.getMessage(), null, null, List.of());
    }
    Payload payload = null;
    String detail = "parsed; nothing has been verified";
    try {
      payload = Payload.parse(env.payload());
    } catch (final EnvelopeException e) {
      detail = "parsed, but " + e.getMessage();
    }
    final List<X509Certificate> certs = new ArrayList<>();
    for (final byte[] der : env.certificateChain()) {
      try {
        certs.add(Certificates.parseDer(der));
      } catch (final Exception e) {
        detail = "parsed, but certificate " + (certs.size() + 1) + " is not a valid X.509 certificate";
        break;
      }
    }
    return new EnvelopeInspection(true, ReasonCode.OK, detail, env, payload, certs);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private SignatureResult verifyOne(
      final SignatureCandidate candidate, final TrustPolicyStatement st, final StatementTrust trust,
      final TargetDescriptor target, final Map<String, String> userMetadata, final Instant now) {
    final SignatureRun run = new SignatureRun(candidate, st);

    // 1. Integrity (always enforced).
    final ParsedEnvelope env;
    try {
      env = Envelopes.parse(candidate.envelopeMediaType(), candidate.envelopeUnsafe(), maxEnvelopeBytes);
    } catch (final EnvelopeException e) {
      return run.fail(Check.INTEGRITY, Action.ENFORCED, e.reason(), e.getMessage()).finish(false);
    }
    run.env = env;
    final ValidatedChain chain = chainCache.get(env.certificateChain());
    run.chain = chain;
    if (chain.failure != null) {
      return run.fail(Check.INTEGRITY, Action.ENFORCED, chain.failure, chain.failureDetail).finish(false);
    }
    if (chain.leafAlgorithm != env.algorithm()) {
      return run.fail(Check.INTEGRITY, Action.ENFORCED, ReasonCode.ALGORITHM_KEY_MISMATCH, "envelope algorithm "
          + env.algorithm() + " does not match the signing certificate key (which requires " + chain.leafAlgorithm
          + ")").finish(false);
    }
    if (env.verificationPlugin() == null && !env.unknownCritical().isEmpty()) {
      // Spec: unknown critical attributes fail unless a plugin processes them (notation-go ignores them; row 3).
      return run.fail(Check.INTEGRITY, Action.ENFORCED, ReasonCode.CRITICAL_HEADER_UNKNOWN,
          "unknown critical attribute(s) " + env.unknownCritical()).finish(false);
    }
    if (!verifySignature(env, chain)) {
      return run.fail(Check.INTEGRITY, Action.ENFORCED, ReasonCode.SIGNATURE_INVALID,
          "the signature does not verify with the signing certificate's key").finish(false);
    }
    final Payload payload;
    try {
      payload = Payload.parse(env.payload());
    } catch (final EnvelopeException e) {
      return run.fail(Check.INTEGRITY, Action.ENFORCED, e.reason(), e.getMessage()).finish(false);
    }
    run.pass(Check.INTEGRITY, Action.ENFORCED, "signature verifies; envelope and certificate chain are well formed");

    // 2. Plugins are not supported: a signature that requires one cannot be verified here.
    if (env.verificationPlugin() != null) {
      return run.fail(Check.PLUGIN, Action.ENFORCED, ReasonCode.PLUGIN_UNSUPPORTED, "the signature requires"
          + " verification plugin \"" + env.verificationPlugin() + "\"; verification plugins are not supported")
          .finish(false);
    }

    // 3. Authenticity: trust store, then identity (reported separately, with the authenticity action).
    final Action authAction = SignatureRun.action(st.action(ValidationType.AUTHENTICITY));
    final boolean anchored = trust.checkAuthenticity(run, env, chain, authAction);
    if (run.stopped()) {
      return run.finish(false);
    }
    trust.checkIdentity(run, chain, authAction);
    if (run.stopped()) {
      return run.finish(false);
    }

    // 4. Authentic timestamp.
    authenticTimestamp.check(run, st, trust, env, chain, now);
    if (run.stopped()) {
      return run.finish(false);
    }

    // 5. Expiry.
    final Action expiryAction = SignatureRun.action(st.action(ValidationType.EXPIRY));
    if (env.expiry() != null && !now.isBefore(env.expiry())) {
      run.fail(Check.EXPIRY, expiryAction, ReasonCode.SIGNATURE_EXPIRED,
          "digital signature has expired on " + env.expiry());
    } else {
      run.pass(Check.EXPIRY, expiryAction, env.expiry() == null ? "the signature has no expiry"
          : "the signature expires on " + env.expiry());
    }
    if (run.stopped()) {
      return run.finish(false);
    }

    // 6. Revocation.
    final Action revAction = SignatureRun.action(st.action(ValidationType.REVOCATION));
    if (revAction == Action.SKIPPED) {
      run.add(CheckResult.notRun(Check.REVOCATION, Action.SKIPPED, "revocation checking is skipped by the policy"));
    } else if (!anchored) {
      // Only a level that logs authenticity gets here with an untrusted chain. Its OCSP and CRL URLs are the
      // signer's choice, so fetching them would let anyone who can push a signature steer our requests (SSRF).
      run.fail(Check.REVOCATION, revAction, ReasonCode.REVOCATION_UNKNOWN, "revocation was not checked: the"
          + " certificate chain is not trusted, and only responders named by trusted chains are contacted");
    } else {
      // The authentic signing time lets a revocation dated after it spare the signature (signingAuthority only).
      final boolean sa = env.signingScheme() == SigningScheme.X509_SIGNING_AUTHORITY;
      RevocationResult rr;
      try {
        rr = revocationChecker.check(chain.certificates, RevocationChecker.Purpose.CODE_SIGNING,
            sa ? env.authenticSigningTime() : null);
      } catch (final RuntimeException e) {
        rr = null;
      }
      if (rr == null) {
        run.fail(Check.REVOCATION, revAction, ReasonCode.REVOCATION_UNKNOWN, "revocation status is unavailable");
      } else {
        switch (rr.status()) {
          case OK -> run.pass(Check.REVOCATION, revAction, rr.detail());
          case REVOKED -> run.fail(Check.REVOCATION, revAction, ReasonCode.CERT_REVOKED, rr.detail());
          default -> run.fail(Check.REVOCATION, revAction, ReasonCode.REVOCATION_UNKNOWN, rr.detail());
        }
      }
    }
    if (run.stopped()) {
      return run.finish(false);
    }

    // 7. The signed payload must name exactly this artifact, and carry the requested metadata.
    if (!payload.mediaType().equals(target.mediaType())) {
      return run.fail(Check.TARGET_ARTIFACT, Action.ENFORCED, ReasonCode.MEDIA_TYPE_MISMATCH, "the signature is"
          + " for media type \"" + payload.mediaType() + "\", the artifact is \"" + target.mediaType() + "\"")
          .finish(false);
    }
    if (!payload.digest().equals(target.digest())) {
      return run.fail(Check.TARGET_ARTIFACT, Action.ENFORCED, ReasonCode.DIGEST_MISMATCH, "the signature is for"
          + " digest " + payload.digest() + ", the artifact is " + target.digest()).finish(false);
    }
    if (payload.size() != target.size()) {
      return run.fail(Check.TARGET_ARTIFACT, Action.ENFORCED, ReasonCode.SIZE_MISMATCH, "the signature is for"
          + " size " + payload.size() + ", the artifact is " + target.size()).finish(false);
    }
    run.pass(Check.TARGET_ARTIFACT, Action.ENFORCED, "the signed payload names this artifact");
    if (!userMetadata.isEmpty()) {
      for (final Map.Entry<String, String> e : userMetadata.entrySet()) {
        if (!e.getValue().equals(payload.annotations().get(e.getKey()))) {
          return run.fail(Check.USER_METADATA, Action.ENFORCED, ReasonCode.USER_METADATA_MISMATCH,
              "the signed payload does not carry the metadata " + e.getKey() + "=" + e.getValue()).finish(false);
        }
      }
      run.pass(Check.USER_METADATA, Action.ENFORCED, "the signed payload carries the requested metadata");
    }
    return run.finish(true);
  }

  private static boolean verifySignature(final ParsedEnvelope env, final ValidatedChain chain) {
    try {
      final Signature s = SignatureVerifiers.get(env.algorithm());
      s.initVerify(chain.leafKey);
      s.update(env.signingInput());
      return s.verify(env.signature());
    } catch (final java.security.GeneralSecurityException | RuntimeException e) {
      // Malformed signature encodings (wrong R||S length, bad PSS padding) are just invalid signatures.
      return false;
    }
  }

  /** A plain loop: this runs on every verification. */
  private static void addWarnings(final SignatureResult r, final List<CheckResult> warnings) {
    for (final CheckResult c : r.checks()) {
      if (c.isWarning()) {
        warnings.add(c);
      }
    }
  }
}
