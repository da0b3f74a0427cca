/**
 * Notary signature envelopes, JWS and COSE: strict parsing into a {@link dev.sigstream.notary.envelope.ParsedEnvelope}
 * (not yet verified; every rule broken is an {@link dev.sigstream.notary.envelope.EnvelopeException} carrying a stable
 * reason code), the signed {@link dev.sigstream.notary.envelope.Payload}, the six signature algorithms, and writing
 * envelopes for the signer. Entry point: {@link dev.sigstream.notary.envelope.Envelopes#parse}. No trust decisions,
 * no clock, no network.
 */
package dev.sigstream.notary.envelope;
