/**
 * The Notary Project certificate rules (SPEC-NOTES section 6.2) for code-signing and timestamping chains, and
 * certificate parsing helpers. Validity periods are not checked here: the verifier checks them at the right instant
 * (verification time, authentic signing time or timestamp). Entry point: {@link
 * dev.sigstream.notary.cert.CertificateRules}.
 */
package dev.sigstream.notary.cert;
