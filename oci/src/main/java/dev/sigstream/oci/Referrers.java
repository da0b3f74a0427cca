package dev.sigstream.oci;

import java.util.List;

/**
 * The referrers of one subject digest.
 *
 * @param source how they were found: the referrers API, the tag-schema fallback index, or nothing at all
 * @param truncated true when the referrer cap or page cap was reached; the list is then incomplete, so callers that
 *     need a signature must treat "not in the list" as "not verified", never as proof of absence
 */
public record Referrers(Digest subject, List<Descriptor> referrers, Source source, boolean truncated) {

  public enum Source { REFERRERS_API, TAG_SCHEMA }

  public Referrers {
    referrers = List.copyOf(referrers);
  }
}
