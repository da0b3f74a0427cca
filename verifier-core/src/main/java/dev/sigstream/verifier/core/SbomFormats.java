package dev.sigstream.verifier.core;

import dev.sigstream.oci.sbom.SbomFormat;

/** The contract's SBOM format names ({@code SbomResult.format} in docs/verdicts.md). */
public final class SbomFormats {

  private SbomFormats() {}

  public static String name(final SbomFormat f) {
    return switch (f) {
      case SPDX_2_JSON -> "spdx-json";
      case SPDX_3_JSONLD -> "spdx-3-jsonld";
      case CYCLONEDX_JSON -> "cyclonedx-json";
      case CYCLONEDX_XML -> "cyclonedx-xml";
      case SYFT_JSON -> "syft-json";
      case UNKNOWN -> "unknown";
    };
  }
}
