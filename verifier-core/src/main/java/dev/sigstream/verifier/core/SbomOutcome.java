package dev.sigstream.verifier.core;

import java.util.List;

/**
 * The checks of one SBOM referrer.
 *
 * @param digest the SBOM manifest digest
 * @param format {@code spdx-json}, {@code cyclonedx-json}, {@code cyclonedx-xml}, {@code syft-json},
 *     {@code spdx-3-jsonld} or {@code unknown}
 * @param packageCount packages listed, or null when the document could not be read
 * @param signed the SBOM manifest itself carries a signature that verifies under the trust policy
 * @param passed structurally valid, no denied licence or package, and signed when the policy requires it
 * @param checks the SBOM checks (type {@link CheckType#SBOM})
 */
public record SbomOutcome(String digest, String format, Integer packageCount, boolean signed, boolean passed,
    List<CheckReport> checks) {

  public SbomOutcome {
    checks = List.copyOf(checks);
  }
}
