/**
 * A BouncyCastle test PKI for Notary Project tests: CA hierarchies ({@link dev.sigstream.testing.pki.Ca}) with chosen
 * key types and certificate profiles ({@link dev.sigstream.testing.pki.CertSpec}), CRLs, OCSP responses and an RFC
 * 3161 timestamp authority ({@link dev.sigstream.testing.pki.Tsa}). Served over loopback HTTP for integration tests,
 * or minted in-process for plain unit tests ({@link dev.sigstream.testing.pki.TestPki#offline}).
 */
package dev.sigstream.testing.pki;
