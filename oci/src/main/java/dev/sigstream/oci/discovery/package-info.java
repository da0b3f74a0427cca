/**
 * Referrer discovery: everything known about one artifact (its manifest and classification, its referrers through
 * the referrers API or the tag-schema fallback, and the manifests and blobs of signature and SBOM referrers),
 * fetched by digest within caps and a deadline, as a {@link dev.sigstream.oci.discovery.Discovery}.
 */
package dev.sigstream.oci.discovery;
