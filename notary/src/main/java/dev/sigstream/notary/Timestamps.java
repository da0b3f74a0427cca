package dev.sigstream.notary;

import dev.sigstream.notary.envelope.SignatureAlgorithm;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TimeStampToken;

/** Timestamp helpers that are the verifier's own rules rather than RFC 3161 verification. */
final class Timestamps {

  private Timestamps() {}

  /**
   * Null when the token's message imprint uses the hash of the signing algorithm (SPEC: "the hash implied by the
   * signing key"; tspclient-go accepts any known hash, docs/notary-conformance.md row 17); else the problem.
   */
  static String imprintAlgorithmProblem(final byte[] token, final SignatureAlgorithm alg) {
    final String oid;
    try {
      oid = new TimeStampToken(new CMSSignedData(token)).getTimeStampInfo().getMessageImprintAlgOID().getId();
    } catch (final Exception | StackOverflowError e) {
      return "the timestamp token is malformed";
    }
    final String expected = switch (alg.hashAlgorithm()) {
      case "SHA-256" -> NISTObjectIdentifiers.id_sha256.getId();
      case "SHA-384" -> NISTObjectIdentifiers.id_sha384.getId();
      default -> NISTObjectIdentifiers.id_sha512.getId();
    };
    return expected.equals(oid) ? null : "the timestamp message imprint uses hash " + oid + ", but the signing"
        + " algorithm " + alg + " requires " + alg.hashAlgorithm();
  }

  /** genTime read from the token without verifying it; null when the token does not parse. */
  static java.time.Instant unverifiedGenTime(final byte[] token) {
    try {
      return new TimeStampToken(new CMSSignedData(token)).getTimeStampInfo().getGenTime().toInstant();
    } catch (final Exception | StackOverflowError e) {
      return null;
    }
  }
}
