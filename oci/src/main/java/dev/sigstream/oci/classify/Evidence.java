package dev.sigstream.oci.classify;

/**
 * Why a classification was made: the field that decided it and its value.
 *
 * @param field where the value was read: {@code mediaType}, {@code artifactType}, {@code config.mediaType},
 *     {@code layers[1].mediaType}, {@code annotations[key]}, {@code manifests[3].platform}, {@code tag},
 *     {@code content-type}
 * @param value the value found there
 * @param rule the rule that matched, in words
 */
public record Evidence(String field, String value, String rule) {

  Evidence withRule(final String r) {
    return new Evidence(field, value, r);
  }

  @Override
  public String toString() {
    return field + "=" + value + " (" + rule + ")";
  }
}
