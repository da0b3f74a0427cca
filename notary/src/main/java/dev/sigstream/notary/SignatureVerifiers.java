package dev.sigstream.notary;

import dev.sigstream.notary.envelope.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.Signature;

/**
 * Per-thread {@link Signature} instances, one per algorithm: provider lookup and PSS parameter setup happen once
 * per thread, not once per verification. {@code initVerify} resets the state on every use.
 */
final class SignatureVerifiers {

  private SignatureVerifiers() {}

  private static final ThreadLocal<Signature[]> CACHE =
      ThreadLocal.withInitial(() -> new Signature[SignatureAlgorithm.values().length]);

  static Signature get(final SignatureAlgorithm alg) throws GeneralSecurityException {
    final Signature[] arr = CACHE.get();
    Signature s = arr[alg.ordinal()];
    if (s == null) {
      s = alg.newSignature();
      arr[alg.ordinal()] = s;
    }
    return s;
  }
}
