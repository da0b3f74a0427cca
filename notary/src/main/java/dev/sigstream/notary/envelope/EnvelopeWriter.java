package dev.sigstream.notary.envelope;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Writes spec-conformant JWS and COSE envelopes. The signature and timestamp are produced by callbacks, so key
 * access stays outside envelope code.
 */
public final class EnvelopeWriter {

  private EnvelopeWriter() {}

  /** Produces the raw signature over the signing input. */
  @FunctionalInterface
  public interface Signer {
    byte[] sign(byte[] signingInput) throws Exception;
  }

  /** Produces a DER timestamp token over the raw signature bytes, or null for none. */
  @FunctionalInterface
  public interface Timestamper {
    byte[] timestamp(byte[] signature) throws Exception;
  }

  /**
   * The signed attributes of an envelope.
   *
   * @param algorithm signature algorithm (must match the leaf key)
   * @param scheme signing scheme
   * @param signingTime signing time (authentic signing time for the SA scheme); whole seconds are written
   * @param expiry expiry or null
   * @param extendedAttributes extra non-critical signed attributes (string values), usually empty
   */
  public record Attributes(
      SignatureAlgorithm algorithm, SigningScheme scheme, Instant signingTime, Instant expiry,
      Map<String, String> extendedAttributes) {
    public Attributes {
      extendedAttributes = Map.copyOf(extendedAttributes);
    }
  }

  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** Builds a flattened JWS envelope. */
  public static byte[] jws(
      final Attributes a, final byte[] payload, final List<byte[]> chain, final String signingAgent,
      final Signer signer, final Timestamper timestamper) throws Exception {
    final ObjectNode h = JwsEnvelope.JSON.createObjectNode();
    h.put("alg", a.algorithm().jwsName());
    h.put("cty", Headers.PAYLOAD_MEDIA_TYPE);
    final ArrayNode crit = h.putArray("crit");
    crit.add(Headers.SIGNING_SCHEME);
    if (a.scheme() == SigningScheme.X509_SIGNING_AUTHORITY) {
      crit.add(Headers.AUTHENTIC_SIGNING_TIME);
    }
    if (a.expiry() != null) {
      crit.add(Headers.EXPIRY);
    }
    h.put(Headers.SIGNING_SCHEME, a.scheme().id());
    h.put(a.scheme() == SigningScheme.X509 ? Headers.SIGNING_TIME : Headers.AUTHENTIC_SIGNING_TIME,
        RFC3339.format(a.signingTime()));
    if (a.expiry() != null) {
      h.put(Headers.EXPIRY, RFC3339.format(a.expiry()));
    }
    a.extendedAttributes().forEach(h::put);
    final JwsEnvelope.Built built = JwsEnvelope.build(h, payload);
    final byte[] sig = signer.sign(built.signingInput());
    final byte[] token = timestamper == null ? null : timestamper.timestamp(sig);
    return JwsEnvelope.assemble(built, sig, chain, token, signingAgent);
  }

  /** Builds a COSE_Sign1_Tagged envelope. */
  public static byte[] cose(
      final Attributes a, final byte[] payload, final List<byte[]> chain, final String signingAgent,
      final Signer signer, final Timestamper timestamper) throws Exception {
    final byte[] protectedBytes = CoseEnvelope.protectedHeader(a.algorithm(), a.scheme(), a.signingTime(),
        a.expiry(), a.extendedAttributes());
    final byte[] sig = signer.sign(CborWriter.sigStructure(protectedBytes, payload));
    final byte[] token = timestamper == null ? null : timestamper.timestamp(sig);
    return CoseEnvelope.assemble(protectedBytes, payload, sig, chain, token, signingAgent);
  }

  /** Sig_structure for a protected header and payload (exposed for tests and tools). */
  public static byte[] coseSigStructure(final byte[] protectedBytes, final byte[] payload) {
    return CborWriter.sigStructure(protectedBytes, payload);
  }
}
