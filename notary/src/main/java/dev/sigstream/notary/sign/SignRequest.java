package dev.sigstream.notary.sign;

import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.envelope.SigningScheme;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What to sign.
 *
 * @param target the artifact descriptor (media type, digest, size)
 * @param format JWS or COSE
 * @param scheme signing scheme (notary.x509 unless the key belongs to a signing authority)
 * @param expiry signature lifetime from the signing time, or null for no expiry
 * @param userMetadata annotations placed in the signed payload's {@code targetArtifact}
 * @param timestamp request an RFC 3161 timestamp (notary.x509 only; needs a TSA client on the signer)
 */
public record SignRequest(
    TargetDescriptor target, EnvelopeFormat format, SigningScheme scheme, Duration expiry,
    Map<String, String> userMetadata, boolean timestamp) {

  public SignRequest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(scheme, "scheme");
    userMetadata = Map.copyOf(userMetadata);
    if (expiry != null && (expiry.isNegative() || expiry.isZero())) {
      throw new IllegalArgumentException("expiry must be positive");
    }
  }

  /** notary.x509, no expiry, no metadata, no timestamp. */
  public static SignRequest of(final TargetDescriptor target, final EnvelopeFormat format) {
    return new SignRequest(target, format, SigningScheme.X509, null, Map.of(), false);
  }
}
