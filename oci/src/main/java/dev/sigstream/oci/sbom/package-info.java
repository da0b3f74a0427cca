/**
 * SBOM checks: {@link dev.sigstream.oci.sbom.SbomChecker} (pure) detects the format (SPDX, CycloneDX, Syft), checks
 * minimal structure and applies a {@link dev.sigstream.oci.sbom.SbomPolicy} of denied licences and packages, giving an
 * {@link dev.sigstream.oci.sbom.SbomReport}; {@link dev.sigstream.oci.sbom.SbomSignatureCheck} is the port through
 * which the verifier checks an SBOM's own signature, so {@code oci} needs no {@code notary}.
 */
package dev.sigstream.oci.sbom;
