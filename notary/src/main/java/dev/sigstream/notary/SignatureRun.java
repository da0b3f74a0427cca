package dev.sigstream.notary;

import dev.sigstream.notary.CheckResult.Action;
import dev.sigstream.notary.envelope.ParsedEnvelope;
import dev.sigstream.notary.policy.TrustPolicyStatement;
import dev.sigstream.notary.policy.ValidationAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Accumulates one signature's checks, in the order {@link NotaryVerifier} runs them. */
final class SignatureRun {
  final SignatureCandidate candidate;
  final TrustPolicyStatement statement;
  final List<CheckResult> checks = new ArrayList<>(8);
  ParsedEnvelope env;
  ValidatedChain chain;
  Instant timestamp;
  boolean stopped;

  SignatureRun(final SignatureCandidate candidate, final TrustPolicyStatement statement) {
    this.candidate = candidate;
    this.statement = statement;
  }

  SignatureRun add(final CheckResult r) {
    checks.add(r);
    if (r.isEnforcedFailure()) {
      stopped = true;
    }
    return this;
  }

  SignatureRun pass(final Check c, final Action a, final String detail) {
    return add(CheckResult.passed(c, a, detail));
  }

  SignatureRun fail(final Check c, final Action a, final ReasonCode r, final String detail) {
    return add(CheckResult.failed(c, a, r, detail));
  }

  boolean stopped() {
    return stopped;
  }

  SignatureResult finish(final boolean verified) {
    final ParsedEnvelope e = env;
    final ValidatedChain ch = chain != null && chain.failure == null ? chain : null;
    return new SignatureResult(
        candidate.manifestDigest(),
        candidate.envelopeMediaType(),
        e == null ? null : e.signingScheme().id(),
        ch == null ? null : ch.leafSubject,
        ch == null ? null : ch.leafIssuer,
        ch == null ? null : ch.leafFingerprint,
        e == null ? null : e.effectiveSigningTime(),
        timestamp,
        e == null ? null : e.expiry(),
        verified && !stopped,
        checks);
  }

  /** The check action a policy validation action maps to. */
  static Action action(final ValidationAction a) {
    return switch (a) {
      case ENFORCE -> Action.ENFORCED;
      case LOG -> Action.LOGGED;
      case SKIP -> Action.SKIPPED;
    };
  }
}
