package dev.sigstream.oci.sbom;

/** Detected SBOM document format. */
public enum SbomFormat { SPDX_2_JSON, SPDX_3_JSONLD, CYCLONEDX_JSON, CYCLONEDX_XML, SYFT_JSON, UNKNOWN }
