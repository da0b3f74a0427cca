package dev.sigstream.oci.sbom;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Reference;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Port: whether an SBOM artifact itself carries a valid signature. The orchestrator wires it to {@code notary}
 * (fetch each signature referrer's envelope, verify it against the trust policy for {@code sbom}'s repository);
 * oci only defines the shape so SBOM checks do not depend on notary's evolving API.
 *
 * <p>Implementations never complete exceptionally for verification or registry failures: they return a
 * {@link Result} with a reason code.
 */
@FunctionalInterface
public interface SbomSignatureCheck {

  /**
   * @param verified true when at least one signature verified
   * @param reasonCode stable code, e.g. {@code VERIFIED}, {@code NO_SIGNATURE}, {@code SIGNATURE_INVALID},
   *     {@code REGISTRY_ERROR}
   * @param detail human-readable detail, no secrets
   */
  record Result(boolean verified, String reasonCode, String detail) {
    public static Result noSignature() {
      return new Result(false, "NO_SIGNATURE", "no signature referrer on the SBOM");
    }
  }

  /**
   * @param sbom the SBOM manifest's reference (with digest)
   * @param sbomDescriptor the SBOM manifest's descriptor
   * @param signatureReferrers signature referrers of the SBOM manifest (may be empty)
   */
  CompletableFuture<Result> verify(Reference sbom, Descriptor sbomDescriptor, List<Descriptor> signatureReferrers);
}
