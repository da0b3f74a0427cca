package dev.sigstream.notary.envelope;

import dev.sigstream.notary.ReasonCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Entry point: parse an envelope by its media type, applying the common header rules. */
public final class Envelopes {

  private Envelopes() {}

  /**
   * Envelopes larger than this are rejected before parsing: 32 MiB, notation-go's envelope-blob limit, so any
   * envelope Notation accepts is accepted here. Real envelopes are a few KiB; the per-certificate and chain-length
   * caps bound the costly parts well below this.
   */
  public static final int DEFAULT_MAX_ENVELOPE_BYTES = 32 * 1024 * 1024;

  /**
   * Parses and structurally validates an envelope.
   *
   * @throws EnvelopeException with a reason code for every malformed or non-conforming input (never another
   *     exception type)
   */
  public static ParsedEnvelope parse(final String mediaType, final byte[] envelope, final int maxBytes)
      throws EnvelopeException {
    if (mediaType == null) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_UNSUPPORTED, "no envelope media type");
    }
    if (envelope == null || envelope.length == 0) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "empty envelope");
    }
    if (envelope.length > maxBytes) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_TOO_LARGE,
          "envelope of " + envelope.length + " bytes exceeds the limit of " + maxBytes);
    }
    try {
      return switch (mediaType) {
        case Headers.MEDIA_TYPE_JWS -> JwsEnvelope.parse(envelope, maxBytes);
        case Headers.MEDIA_TYPE_COSE -> CoseEnvelope.parse(envelope, maxBytes);
        default -> throw new EnvelopeException(ReasonCode.ENVELOPE_UNSUPPORTED,
            "unsupported signature envelope media type \"" + mediaType + "\"");
      };
    } catch (final EnvelopeException e) {
      throw e;
    } catch (final RuntimeException | StackOverflowError e) {
      // Hostile input must never escape as an unchecked exception.
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "malformed envelope: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * The common attribute rules of SPEC-NOTES section 5.1, applied after format-specific decoding.
   *
   * @param critical crit entries (as strings)
   * @param present names of every protected header entry present (as strings)
   * @param known names of protected header entries this implementation understands
   */
  static void checkCommon(
      final List<String> critical,
      final java.util.function.Predicate<String> present,
      final Set<String> known,
      final String schemeText,
      final Instant signingTime,
      final Instant authenticSigningTime,
      final Instant expiry,
      final boolean hasPlugin,
      final boolean hasPluginMinVersion,
      final List<String> unknownCriticalOut)
      throws EnvelopeException {
    if (critical == null || critical.isEmpty()) {
      throw new EnvelopeException(ReasonCode.CRITICAL_HEADER_MISSING, "missing or empty \"crit\" header");
    }
    final Set<String> seen = new HashSet<>();
    for (final String c : critical) {
      if (!seen.add(c)) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "duplicate \"crit\" entry \"" + c + "\"");
      }
      if (!present.test(c)) {
        throw new EnvelopeException(ReasonCode.CRITICAL_HEADER_UNKNOWN,
            "\"crit\" lists \"" + c + "\" which is not a protected header");
      }
      if (!known.contains(c)) {
        unknownCriticalOut.add(c);
      }
    }
    if (schemeText == null) {
      throw new EnvelopeException(ReasonCode.SIGNING_SCHEME_INVALID, "missing " + Headers.SIGNING_SCHEME);
    }
    final SigningScheme scheme = SigningScheme.fromId(schemeText).orElseThrow(() -> new EnvelopeException(
        ReasonCode.SIGNING_SCHEME_INVALID, "unsupported signing scheme \"" + schemeText + "\""));
    requireCritical(critical, Headers.SIGNING_SCHEME);
    if (expiry != null) {
      requireCritical(critical, Headers.EXPIRY);
    }
    if (hasPlugin) {
      requireCritical(critical, Headers.VERIFICATION_PLUGIN);
    }
    if (hasPluginMinVersion) {
      requireCritical(critical, Headers.VERIFICATION_PLUGIN_MIN_VERSION);
      if (!hasPlugin) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED,
            Headers.VERIFICATION_PLUGIN_MIN_VERSION + " without " + Headers.VERIFICATION_PLUGIN);
      }
    }
    final Instant relevant;
    if (scheme == SigningScheme.X509) {
      if (authenticSigningTime != null) {
        throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID,
            Headers.AUTHENTIC_SIGNING_TIME + " is not allowed with signing scheme notary.x509");
      }
      if (signingTime == null) {
        throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID,
            "missing " + Headers.SIGNING_TIME + " for signing scheme notary.x509");
      }
      relevant = signingTime;
    } else {
      if (signingTime != null) {
        throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID,
            Headers.SIGNING_TIME + " is not allowed with signing scheme notary.x509.signingAuthority");
      }
      if (authenticSigningTime == null) {
        throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID,
            "missing " + Headers.AUTHENTIC_SIGNING_TIME + " for signing scheme notary.x509.signingAuthority");
      }
      requireCritical(critical, Headers.AUTHENTIC_SIGNING_TIME);
      relevant = authenticSigningTime;
    }
    if (relevant.getEpochSecond() <= 0 && relevant.getNano() == 0) {
      throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID, "signing time is zero");
    }
    if (expiry != null && !expiry.isAfter(relevant)) {
      throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID,
          "expiry " + expiry + " is not after the signing time " + relevant);
    }
  }

  private static void requireCritical(final List<String> critical, final String name) throws EnvelopeException {
    if (!critical.contains(name)) {
      throw new EnvelopeException(ReasonCode.CRITICAL_HEADER_MISSING, "\"" + name + "\" is not listed in \"crit\"");
    }
  }

  static void checkChainShape(final List<byte[]> chain) throws EnvelopeException {
    if (chain.isEmpty()) {
      throw new EnvelopeException(ReasonCode.CERT_CHAIN_INVALID, "the envelope carries no certificate chain");
    }
    if (chain.size() > Headers.MAX_CHAIN_LENGTH) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_TOO_LARGE,
          "certificate chain of " + chain.size() + " certificates exceeds the limit of " + Headers.MAX_CHAIN_LENGTH);
    }
    for (final byte[] c : chain) {
      if (c.length == 0) {
        throw new EnvelopeException(ReasonCode.CERT_CHAIN_INVALID, "empty certificate in the chain");
      }
      if (c.length > Headers.MAX_CERTIFICATE_BYTES) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_TOO_LARGE,
            "certificate of " + c.length + " bytes exceeds the limit of " + Headers.MAX_CERTIFICATE_BYTES);
      }
    }
  }

  static List<String> mutableList() {
    return new ArrayList<>();
  }

  static Map<String, String> view(final Map<String, String> m) {
    return Map.copyOf(m);
  }
}
