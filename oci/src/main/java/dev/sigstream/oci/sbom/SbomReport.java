package dev.sigstream.oci.sbom;

import java.util.List;

/**
 * The result of {@link SbomChecker#check}.
 *
 * @param format detected format ({@link SbomFormat#UNKNOWN} when none matched)
 * @param specVersion the document's spec version, or null
 * @param problems structural problems; non-empty means the SBOM is invalid
 * @param packageCount number of packages (components) listed
 * @param licenseViolations packages whose licence expression cannot be satisfied without a denied licence
 * @param packageViolations packages on the deny list
 * @param warnings non-fatal findings (unparseable licence expressions, NOASSERTION)
 */
public record SbomReport(SbomFormat format, String specVersion, List<String> problems, int packageCount,
    List<Violation> licenseViolations, List<Violation> packageViolations, List<String> warnings) {

  /** A violating package and why. */
  public record Violation(String packageName, String packageVersion, String detail) {}

  public SbomReport {
    problems = List.copyOf(problems);
    licenseViolations = List.copyOf(licenseViolations);
    packageViolations = List.copyOf(packageViolations);
    warnings = List.copyOf(warnings);
  }

  public boolean valid() {
    return format != SbomFormat.UNKNOWN && problems.isEmpty();
  }

  /** Valid and no violations. */
  public boolean passed() {
    return valid() && licenseViolations.isEmpty() && packageViolations.isEmpty();
  }
}
