package dev.sigstream.notary;

import dev.sigstream.notary.CheckResult.Action;
import dev.sigstream.notary.envelope.ParsedEnvelope;
import dev.sigstream.notary.envelope.SigningScheme;
import dev.sigstream.notary.policy.TrustPolicyStatement;
import dev.sigstream.notary.policy.TrustStoreRef;
import dev.sigstream.notary.truststore.TrustStore;
import dev.sigstream.notary.truststore.TrustStoreType;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Trust material of one statement, resolved once at build time, and the checks that use it: which trust store a
 * signing scheme needs (spec step 3, authenticity) and whether the signer is a trusted identity.
 */
final class StatementTrust {
  final TrustPolicyStatement statement;
  final Map<TrustStoreType, Stores> stores;

  private StatementTrust(final TrustPolicyStatement statement, final Map<TrustStoreType, Stores> stores) {
    this.statement = statement;
    this.stores = stores;
  }

  static final class Stores {
    final List<TrustStoreRef> refs;
    final Set<ByteKey> trusted;
    final List<X509Certificate> roots;
    /** Non-null when a referenced store of this type is missing or invalid: trust cannot be decided. */
    final String error;
    /** The authenticity check's detail when it passes (built once, not per verification). */
    final String trustedDetail;

    Stores(final List<TrustStoreRef> refs, final Set<ByteKey> trusted, final List<X509Certificate> roots,
        final String error) {
      this.refs = refs;
      this.trusted = trusted;
      this.roots = roots;
      this.error = error;
      this.trustedDetail = "the certificate chain contains a certificate of " + refs;
    }
  }

  static StatementTrust of(final TrustPolicyStatement s, final TrustStore store) {
    final Map<TrustStoreType, Stores> m = new EnumMap<>(TrustStoreType.class);
    for (final TrustStoreType type : TrustStoreType.values()) {
      final List<TrustStoreRef> refs = s.trustStores().stream().filter(r -> r.type() == type).toList();
      final Set<ByteKey> trusted = new HashSet<>();
      final List<X509Certificate> roots = new ArrayList<>();
      String error = null;
      for (final TrustStoreRef ref : refs) {
        final Optional<TrustStore.Entry> e = store.get(type, ref.name());
        if (e.isEmpty()) {
          error = "the trust store \"" + ref.name() + "\" of type \"" + type.id() + "\" does not exist";
          break;
        }
        if (e.get() instanceof TrustStore.Entry.Invalid inv) {
          error = inv.reason();
          break;
        }
        for (final X509Certificate c : ((TrustStore.Entry.Loaded) e.get()).certificates()) {
          try {
            trusted.add(new ByteKey(c.getEncoded()));
            roots.add(c);
          } catch (final java.security.cert.CertificateEncodingException ex) {
            error = "trust store " + ref + " holds an unencodable certificate";
          }
        }
      }
      m.put(type, new Stores(refs, Set.copyOf(trusted), List.copyOf(roots), error));
    }
    return new StatementTrust(s, m);
  }

  /** The stores of the type a signing scheme anchors in: signingAuthority for that scheme, CA otherwise. */
  static TrustStoreType storeTypeFor(final SigningScheme scheme) {
    return scheme == SigningScheme.X509_SIGNING_AUTHORITY ? TrustStoreType.SIGNING_AUTHORITY : TrustStoreType.CA;
  }

  /**
   * Authenticity: the chain must contain a certificate of a store of the type the signing scheme requires.
   *
   * @return whether the chain is anchored in a trusted store (only then may its revocation URLs be contacted)
   */
  boolean checkAuthenticity(final SignatureRun run, final ParsedEnvelope env, final ValidatedChain chain,
      final Action authAction) {
    final TrustStoreType storeType = storeTypeFor(env.signingScheme());
    final Stores stores = this.stores.get(storeType);
    if (stores.error != null) {
      run.fail(Check.AUTHENTICITY, authAction, ReasonCode.TRUST_STORE_MISSING, stores.error);
    } else if (stores.refs.isEmpty()) {
      run.fail(Check.AUTHENTICITY, authAction, ReasonCode.UNTRUSTED_CHAIN, "trust policy statement \""
          + statement.name() + "\" names no trust store of type \"" + storeType.id()
          + "\" required by signing scheme " + env.signingScheme().id());
    } else if (!anyTrusted(chain, stores.trusted)) {
      run.fail(Check.AUTHENTICITY, authAction, ReasonCode.UNTRUSTED_CHAIN,
          "the signature's certificate chain does not contain any trusted certificate");
    } else {
      run.pass(Check.AUTHENTICITY, authAction, stores.trustedDetail);
      return true;
    }
    return false;
  }

  /** Trusted identity: the leaf subject must match one of the statement's trusted identities (or be trusted by "*"). */
  void checkIdentity(final SignatureRun run, final ValidatedChain chain, final Action authAction) {
    final TrustPolicyStatement st = statement;
    if (chain.leafDn == null && !st.wildcardIdentity() && !st.x509Identities().isEmpty()) {
      run.fail(Check.TRUSTED_IDENTITY, authAction, ReasonCode.UNTRUSTED_IDENTITY, chain.leafDnError);
      return;
    }
    final Optional<String> problem = chain.identityMismatch(st);
    if (problem.isPresent()) {
      run.fail(Check.TRUSTED_IDENTITY, authAction, ReasonCode.UNTRUSTED_IDENTITY, problem.get());
    } else {
      run.pass(Check.TRUSTED_IDENTITY, authAction, st.wildcardIdentity() ? "any identity is trusted (*)"
          : "the signing certificate subject matches a trusted identity");
    }
  }

  private static boolean anyTrusted(final ValidatedChain chain, final Set<ByteKey> trusted) {
    for (final ByteKey k : chain.ders) {
      if (trusted.contains(k)) {
        return true;
      }
    }
    return false;
  }
}
