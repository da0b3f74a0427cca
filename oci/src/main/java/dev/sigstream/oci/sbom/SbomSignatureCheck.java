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

  /** Why an SBOM's signature check came out as it did; {@link #name()} is the stable reason code. */
  enum Reason {
    /** At least one signature verified. */
    VERIFIED,
    /** The SBOM has no signature referrer. */
    NO_SIGNATURE,
    /** Signatures exist and none satisfies the trust policy. */
    SIGNATURE_INVALID,
    /** The registry could not list or serve the signatures: inconclusive, may succeed later. */
    REGISTRY_ERROR,
    /** The check itself failed unexpectedly: inconclusive. */
    SIGNATURE_CHECK_ERROR
  }

  /**
   * @param verified true when at least one signature verified
   * @param reason why
   * @param detail human-readable detail, no secrets
   */
  record Result(boolean verified, Reason reason, String detail) {

    public Result {
      java.util.Objects.requireNonNull(reason, "reason");
    }

    /**
     * From a reason code string, for callers not yet moved to {@link Reason}.
     *
     * @throws IllegalArgumentException when {@code reasonCode} is not a {@link Reason} name
     */
    public Result(final boolean verified, final String reasonCode, final String detail) {
      this(verified, Reason.valueOf(reasonCode), detail);
    }

    /** The stable reason code, {@code reason().name()}. */
    public String reasonCode() {
      return reason.name();
    }

    public static Result noSignature() {
      return new Result(false, Reason.NO_SIGNATURE, "no signature referrer on the SBOM");
    }
  }

  /**
   * @param sbom the SBOM manifest's reference (with digest)
   * @param sbomDescriptor the SBOM manifest's descriptor
   * @param signatureReferrers signature referrers of the SBOM manifest (may be empty)
   */
  CompletableFuture<Result> verify(Reference sbom, Descriptor sbomDescriptor, List<Descriptor> signatureReferrers);
}
