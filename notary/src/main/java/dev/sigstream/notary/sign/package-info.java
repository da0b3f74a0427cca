/**
 * Notary Project signing: {@link dev.sigstream.notary.sign.NotarySigner} produces JWS or COSE envelopes for an
 * artifact descriptor (optionally RFC 3161 timestamped), and {@link dev.sigstream.notary.sign.SignatureManifest}
 * builds the OCI 1.1 manifest that attaches one to its subject. Keys come through the {@link
 * dev.sigstream.notary.sign.SigningKey} port (local PKCS#12 or PEM via {@link dev.sigstream.notary.sign.SigningKeys};
 * a KMS can implement it). The chain is checked before anything is signed.
 */
package dev.sigstream.notary.sign;
