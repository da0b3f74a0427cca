package dev.sigstream.notary;

import dev.sigstream.notary.CheckResult.Action;
import dev.sigstream.notary.envelope.ParsedEnvelope;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.policy.TrustPolicyStatement;
import dev.sigstream.notary.policy.ValidationType;
import dev.sigstream.notary.policy.VerifyTimestamp;
import dev.sigstream.notary.timestamp.TimestampResult;
import dev.sigstream.notary.timestamp.TimestampVerifier;
import dev.sigstream.notary.truststore.TrustStoreType;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * Spec step 4, authentic timestamp: at which time the chain must be valid. The signingAuthority scheme's authentic
 * signing time; else, when the statement names a TSA store and asks for it ({@code verifyTimestamp: always}, or a
 * certificate has expired), an RFC 3161 countersignature verified against that store; else the verification time.
 * Immutable and thread-safe; records its result in the {@link SignatureRun} and never throws for bad input.
 */
final class AuthenticTimestampCheck {

  /** Null when none is configured: a signature whose policy needs one gets an inconclusive result. */
  private final TimestampVerifier verifier;

  AuthenticTimestampCheck(final TimestampVerifier verifier) {
    this.verifier = verifier;
  }

  void check(
      final SignatureRun run, final TrustPolicyStatement st, final StatementTrust trust, final ParsedEnvelope env,
      final ValidatedChain chain, final Instant now) {
    final Action act = SignatureRun.action(st.action(ValidationType.AUTHENTIC_TIMESTAMP));
    if (env.signingScheme() == SigningScheme.X509_SIGNING_AUTHORITY) {
      final Instant t = env.authenticSigningTime();
      final String bad = validityProblem(chain, t, t, () -> "authentic signing time " + t);
      if (bad != null) {
        run.fail(Check.AUTHENTIC_TIMESTAMP, act, reasonFor(chain, t), bad);
      } else {
        run.pass(Check.AUTHENTIC_TIMESTAMP, act, "the authentic signing time " + t + " is within every"
            + " certificate's validity");
      }
      return;
    }
    final StatementTrust.Stores tsa = trust.stores.get(TrustStoreType.TSA);
    final boolean tsaConfigured = !tsa.refs.isEmpty();
    final boolean expiredCert = chain.earliestNotAfter.isBefore(now);
    final boolean triggered = tsaConfigured && (st.signatureVerification().verifyTimestamp() == VerifyTimestamp.ALWAYS
        || expiredCert);
    if (!triggered) {
      final String bad = validityProblem(chain, now, now, () -> "verification time " + now);
      if (bad != null) {
        run.fail(Check.AUTHENTIC_TIMESTAMP, act, reasonFor(chain, now), bad);
      } else {
        run.pass(Check.AUTHENTIC_TIMESTAMP, act, "every certificate is valid at verification time");
      }
      return;
    }
    if (env.timestampToken() == null) {
      run.fail(Check.AUTHENTIC_TIMESTAMP, act, ReasonCode.TIMESTAMP_MISSING,
          "no timestamp countersignature was found in the signature envelope");
      return;
    }
    if (tsa.error != null) {
      run.fail(Check.AUTHENTIC_TIMESTAMP, act, ReasonCode.TRUST_STORE_MISSING, tsa.error);
      return;
    }
    if (verifier == null) {
      run.fail(Check.AUTHENTIC_TIMESTAMP, act, ReasonCode.INTERNAL_ERROR, "no timestamp verifier is configured");
      return;
    }
    // Spec: the token must hash the signature with the hash of the signing algorithm (row 17).
    final String imprintProblem = Timestamps.imprintAlgorithmProblem(env.timestampToken(), env.algorithm());
    if (imprintProblem != null) {
      run.fail(Check.AUTHENTIC_TIMESTAMP, act, ReasonCode.TIMESTAMP_INVALID, imprintProblem);
      return;
    }
    TimestampResult tr;
    try {
      tr = verifier.verify(env.timestampToken(), env.signature(), env.algorithm().hashAlgorithm(), tsa.roots);
    } catch (final RuntimeException e) {
      tr = null;
    }
    if (tr == null) {
      run.fail(Check.AUTHENTIC_TIMESTAMP, act, ReasonCode.TIMESTAMP_INVALID, "the timestamp cannot be verified");
      return;
    }
    if (!tr.valid() || tr.genTime() == null) {
      final ReasonCode r = tr.reason() == null || tr.reason() == ReasonCode.OK ? ReasonCode.TIMESTAMP_INVALID
          : tr.reason();
      run.fail(Check.AUTHENTIC_TIMESTAMP, act, r, tr.detail());
      return;
    }
    final Duration acc = tr.accuracy() == null ? Duration.ZERO : tr.accuracy();
    final Instant lo = tr.genTime().minus(acc);
    final Instant hi = tr.genTime().plus(acc);
    final String bad = validityProblem(chain, lo, hi,
        () -> "timestamp " + lo.plus(acc) + " (±" + acc.toMillis() + " ms)");
    if (bad != null) {
      run.fail(Check.AUTHENTIC_TIMESTAMP, act, ReasonCode.TIMESTAMP_OUTSIDE_CERT_VALIDITY, bad);
      return;
    }
    run.timestamp = tr.genTime();
    run.pass(Check.AUTHENTIC_TIMESTAMP, act, "timestamp " + tr.genTime() + " is authentic and within every"
        + " certificate's validity");
  }

  /**
   * Null when every certificate covers [from, to]; else a sentence naming the first that does not. {@code what}
   * names the time and is built only on failure.
   */
  private static String validityProblem(final ValidatedChain chain, final Instant from, final Instant to,
      final java.util.function.Supplier<String> what) {
    if (!chain.latestNotBefore.isAfter(from) && !chain.earliestNotAfter.isBefore(to)) {
      return null;
    }
    for (final X509Certificate c : chain.certificates) {
      if (c.getNotBefore().toInstant().isAfter(from)) {
        return what.get() + " is before certificate \"" + c.getSubjectX500Principal().getName()
            + "\" validity period, it will be valid from " + c.getNotBefore().toInstant();
      }
      if (c.getNotAfter().toInstant().isBefore(to)) {
        return what.get() + " is after certificate \"" + c.getSubjectX500Principal().getName()
            + "\" validity period, it was expired at " + c.getNotAfter().toInstant();
      }
    }
    return null;
  }

  private static ReasonCode reasonFor(final ValidatedChain chain, final Instant t) {
    for (final X509Certificate c : chain.certificates) {
      if (c.getNotBefore().toInstant().isAfter(t)) {
        return ReasonCode.CERT_NOT_YET_VALID;
      }
      if (c.getNotAfter().toInstant().isBefore(t)) {
        return ReasonCode.CERT_EXPIRED;
      }
    }
    return ReasonCode.CERT_EXPIRED;
  }
}
