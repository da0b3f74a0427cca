package dev.sigstream.notary.envelope;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A structurally valid Notary signature envelope (JWS or COSE), not yet verified. Parsing has already applied
 * the envelope rules that need no key or trust material (SPEC-NOTES section 5): allowed algorithm, content type,
 * {@code crit} rules, signing scheme and time attributes, non-empty signature and chain. Nothing here is trusted.
 *
 * <p>Byte arrays are shared, not copied: treat them as read-only.
 *
 * @param mediaType {@code application/jose+json} or {@code application/cose}
 * @param algorithm the declared signature algorithm
 * @param contentType the declared payload media type ({@code application/vnd.cncf.notary.payload.v1+json})
 * @param critical the {@code crit} entries as written (COSE integer labels as decimal strings)
 * @param signingScheme the signing scheme
 * @param signingTime claimed signing time ({@code notary.x509}); null for the signing-authority scheme
 * @param authenticSigningTime authentic signing time (signing-authority scheme); else null
 * @param expiry signature expiry, or null
 * @param verificationPlugin plugin name, or null
 * @param verificationPluginMinVersion plugin minimum version, or null
 * @param extendedAttributes other signed header entries (name to string form of the value)
 * @param unknownCritical critical entries this verifier does not understand (extended critical attributes)
 * @param certificateChain DER certificates, leaf first (unsigned)
 * @param timestampToken DER RFC 3161 TimeStampToken, or null (unsigned)
 * @param signingAgent signing agent, or null (unsigned, informational only)
 * @param payload the payload bytes (signed)
 * @param signingInput the exact bytes the signature covers (JWS {@code protected.payload}; COSE Sig_structure)
 * @param signature the raw signature bytes (ECDSA as {@code R||S})
 */
public record ParsedEnvelope(
    String mediaType,
    SignatureAlgorithm algorithm,
    String contentType,
    List<String> critical,
    SigningScheme signingScheme,
    Instant signingTime,
    Instant authenticSigningTime,
    Instant expiry,
    String verificationPlugin,
    String verificationPluginMinVersion,
    Map<String, String> extendedAttributes,
    List<String> unknownCritical,
    List<byte[]> certificateChain,
    byte[] timestampToken,
    String signingAgent,
    byte[] payload,
    byte[] signingInput,
    byte[] signature) {

  public ParsedEnvelope {
    critical = List.copyOf(critical);
    extendedAttributes = Map.copyOf(extendedAttributes);
    unknownCritical = List.copyOf(unknownCritical);
    certificateChain = List.copyOf(certificateChain);
  }

  /** The signing time that matters for the scheme: authentic for signingAuthority, claimed for x509. */
  public Instant effectiveSigningTime() {
    return signingScheme == SigningScheme.X509_SIGNING_AUTHORITY ? authenticSigningTime : signingTime;
  }

  @Override
  public String toString() {
    return "ParsedEnvelope[" + mediaType + ", " + algorithm + ", " + signingScheme + ", signingTime=" + signingTime
        + ", authenticSigningTime=" + authenticSigningTime + ", expiry=" + expiry + ", chain="
        + certificateChain.size() + " certs, timestamp=" + (timestampToken != null) + "]";
  }
}
