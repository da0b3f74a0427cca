package dev.sigstream.notary.timestamp;

import dev.sigstream.notary.revocation.RevocationChecker;
import dev.sigstream.notary.revocation.RevocationResult;
import dev.sigstream.notary.revocation.RevocationStatus;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double: answers a fixed status and records what it was asked. Used where the vectors README's "Network caveat"
 * applies (GlobalSign TSA chains would need the internet) and to drive the verifier's revocation branches.
 */
final class FixedRevocation implements RevocationChecker {

  final RevocationStatus status;
  final List<List<X509Certificate>> chains = new ArrayList<>();
  final List<Purpose> purposes = new ArrayList<>();

  FixedRevocation(final RevocationStatus status) {
    this.status = status;
  }

  @Override
  public synchronized RevocationResult check(final List<X509Certificate> chain, final Purpose purpose,
      final Instant signingTime) {
    chains.add(List.copyOf(chain));
    purposes.add(purpose);
    return new RevocationResult(status, "fixed " + status, List.of());
  }
}
