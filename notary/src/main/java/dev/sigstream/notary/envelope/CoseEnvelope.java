package dev.sigstream.notary.envelope;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import dev.sigstream.notary.ReasonCode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Notary COSE envelopes: {@code COSE_Sign1_Tagged} (tag 18) with attached payload (SPEC-NOTES section 5.3).
 * The protected header bytes are kept exactly as received for the Sig_structure; they are never re-encoded.
 * Integer and text labels are told apart by the CBOR major type of the key (Jackson reports both as names).
 */
public final class CoseEnvelope {

  static final CBORFactory CBOR = CBORFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(8)
          .maxStringLength(Envelopes.DEFAULT_MAX_ENVELOPE_BYTES)
          .maxDocumentLength(Envelopes.DEFAULT_MAX_ENVELOPE_BYTES)
          .maxNumberLength(32)
          .build())
      .build();

  static final int LABEL_ALG = 1;
  static final int LABEL_CRIT = 2;
  static final int LABEL_CTY = 3;
  static final int LABEL_X5CHAIN = 33;
  static final int COSE_SIGN1_TAG = 18;
  static final int EPOCH_TAG = 1;

  private static final Set<String> KNOWN_CRITICAL = Set.of(Headers.SIGNING_SCHEME, Headers.SIGNING_TIME,
      Headers.AUTHENTIC_SIGNING_TIME, Headers.EXPIRY, Headers.VERIFICATION_PLUGIN,
      Headers.VERIFICATION_PLUGIN_MIN_VERSION);

  private CoseEnvelope() {}

  /** A map key: integer label or text label. */
  private record Label(Long number, String text) {
    String name() {
      return number != null ? "#" + number : text;
    }
  }

  static ParsedEnvelope parse(final byte[] envelope, final int maxBytes) throws EnvelopeException {
    try (CBORParser p = (CBORParser) CBOR.createParser(envelope)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_ARRAY || p.getCurrentTag() != COSE_SIGN1_TAG || p.getCurrentTags().size() != 1) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED,
            "not a COSE_Sign1_Tagged message (CBOR tag 18 and an array are required)");
      }
      final byte[] protectedBytes = bstr(p, "protected header");
      if (p.nextToken() != JsonToken.START_OBJECT || p.getCurrentTag() != -1) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "unprotected header must be a map");
      }
      final Unprotected u = unprotected(p, envelope);
      t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "detached payloads are not supported");
      }
      final byte[] payload = bstrCurrent(p, t, "payload");
      final byte[] signature = bstr(p, "signature");
      if (p.nextToken() != JsonToken.END_ARRAY) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "COSE_Sign1 must have exactly four elements");
      }
      if (p.nextToken() != null) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "trailing data after the COSE_Sign1 message");
      }
      if (signature.length == 0) {
        throw new EnvelopeException(ReasonCode.SIGNATURE_INVALID, "empty signature");
      }
      return withProtected(protectedBytes, u, payload, signature);
    } catch (final EnvelopeException e) {
      throw e;
    } catch (final IOException e) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "malformed CBOR: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(final String s) {
    if (s == null) {
      return "";
    }
    final int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }

  private record Unprotected(List<byte[]> chain, byte[] token, String agent) {}

  private static Unprotected unprotected(final CBORParser p, final byte[] input) throws IOException, EnvelopeException {
    List<byte[]> chain = null;
    byte[] token = null;
    String agent = null;
    final Set<String> seen = new LinkedHashSet<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      final Label label = label(p, input);
      if (!seen.add(label.name())) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "duplicate unprotected header " + label.name());
      }
      final JsonToken v = p.nextToken();
      if (label.number() != null && label.number() == LABEL_X5CHAIN) {
        chain = x5chain(p, v);
      } else if (Headers.TIMESTAMP_SIGNATURE.equals(label.text())) {
        token = bstrCurrent(p, v, "timestampSignature");
        if (token.length > Headers.MAX_TIMESTAMP_BYTES) {
          throw new EnvelopeException(ReasonCode.ENVELOPE_TOO_LARGE, "timestampSignature exceeds the size limit");
        }
      } else if (Headers.SIGNING_AGENT.equals(label.text())) {
        if (v != JsonToken.VALUE_STRING || p.getCurrentTag() != -1) {
          throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "signingAgent must be a text string");
        }
        agent = p.getText();
      } else {
        // Unknown unsigned headers are ignored, as for JWS: unauthenticated and unused.
        p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "malformed unprotected header");
    }
    return new Unprotected(chain, token, agent);
  }

  private static List<byte[]> x5chain(final CBORParser p, final JsonToken v) throws IOException, EnvelopeException {
    final List<byte[]> chain = new ArrayList<>();
    if (v == JsonToken.VALUE_EMBEDDED_OBJECT) {
      // RFC 9360 allows a single bstr for a one-certificate chain (docs/notary-conformance.md row 6).
      chain.add(bstrCurrent(p, v, "x5chain"));
      return chain;
    }
    if (v != JsonToken.START_ARRAY || p.getCurrentTag() != -1) {
      throw new EnvelopeException(ReasonCode.CERT_CHAIN_INVALID, "x5chain must be an array of byte strings");
    }
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (chain.size() >= Headers.MAX_CHAIN_LENGTH) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_TOO_LARGE,
            "certificate chain exceeds the limit of " + Headers.MAX_CHAIN_LENGTH + " certificates");
      }
      if (t != JsonToken.VALUE_EMBEDDED_OBJECT) {
        throw new EnvelopeException(ReasonCode.CERT_CHAIN_INVALID, "x5chain must be an array of byte strings");
      }
      chain.add(bstrCurrent(p, t, "x5chain"));
    }
    return chain;
  }

  private static Label label(final CBORParser p, final byte[] input) throws IOException, EnvelopeException {
    final long offset = p.currentTokenLocation().getByteOffset();
    if (offset < 0 || offset >= input.length) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "cannot locate map key");
    }
    final int major = (input[(int) offset] & 0xFF) >>> 5;
    final String name = p.currentName();
    switch (major) {
      case 0, 1 -> {
        try {
          return new Label(Long.parseLong(name), null);
        } catch (final NumberFormatException e) {
          throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "invalid integer label");
        }
      }
      case 3 -> {
        return new Label(null, name);
      }
      default -> throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED,
          "header labels must be integers or text strings");
    }
  }

  private static byte[] bstr(final CBORParser p, final String what) throws IOException, EnvelopeException {
    return bstrCurrent(p, p.nextToken(), what);
  }

  private static byte[] bstrCurrent(final CBORParser p, final JsonToken t, final String what)
      throws IOException, EnvelopeException {
    if (t != JsonToken.VALUE_EMBEDDED_OBJECT || p.getCurrentTag() != -1) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, what + " must be a byte string");
    }
    return p.getBinaryValue();
  }

  private static ParsedEnvelope withProtected(
      final byte[] protectedBytes, final Unprotected u, final byte[] payload, final byte[] signature)
      throws IOException, EnvelopeException {
    SignatureAlgorithm alg = null;
    String cty = null;
    List<String> crit = null;
    String scheme = null;
    Instant signingTime = null;
    Instant authentic = null;
    Instant expiry = null;
    String plugin = null;
    String pluginMin = null;
    List<byte[]> protectedChain = null;
    final Map<String, String> extended = new HashMap<>();
    final Set<String> present = new LinkedHashSet<>();
    if (protectedBytes.length == 0) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "empty protected header");
    }
    try (CBORParser p = (CBORParser) CBOR.createParser(protectedBytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT || p.getCurrentTag() != -1) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "protected header must be a map");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        final Label label = label(p, protectedBytes);
        if (!present.add(label.name())) {
          throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "duplicate protected header " + label.name());
        }
        final JsonToken v = p.nextToken();
        if (label.number() != null) {
          final long n = label.number();
          if (n == LABEL_ALG) {
            if (v != JsonToken.VALUE_NUMBER_INT || p.getCurrentTag() != -1) {
              throw new EnvelopeException(ReasonCode.ALGORITHM_UNSUPPORTED, "alg must be an integer");
            }
            final long id = p.getLongValue();
            alg = SignatureAlgorithm.fromCose(id).orElseThrow(() ->
                new EnvelopeException(ReasonCode.ALGORITHM_UNSUPPORTED, "unsupported COSE alg " + id));
          } else if (n == LABEL_CRIT) {
            crit = critical(p, v);
          } else if (n == LABEL_CTY) {
            if (v != JsonToken.VALUE_STRING || p.getCurrentTag() != -1) {
              throw new EnvelopeException(ReasonCode.CONTENT_TYPE_INVALID, "content type must be a text string");
            }
            cty = p.getText();
          } else if (n == LABEL_X5CHAIN) {
            // The spec allows x5chain in the protected header too (docs/notary-conformance.md row 6).
            protectedChain = x5chain(p, v);
          } else {
            extended.put(label.name(), scalarText(p, v));
          }
        } else {
          final String name = label.text();
          switch (name) {
            case Headers.SIGNING_SCHEME -> scheme = text(p, v, name, ReasonCode.SIGNING_SCHEME_INVALID);
            case Headers.SIGNING_TIME -> signingTime = epoch(p, v, name);
            case Headers.AUTHENTIC_SIGNING_TIME -> authentic = epoch(p, v, name);
            case Headers.EXPIRY -> expiry = epoch(p, v, name);
            case Headers.VERIFICATION_PLUGIN -> plugin = text(p, v, name, ReasonCode.ENVELOPE_MALFORMED);
            case Headers.VERIFICATION_PLUGIN_MIN_VERSION -> pluginMin = text(p, v, name, ReasonCode.ENVELOPE_MALFORMED);
            default -> extended.put(name, scalarText(p, v));
          }
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "malformed protected header");
      }
    }
    if (alg == null) {
      throw new EnvelopeException(ReasonCode.ALGORITHM_UNSUPPORTED, "missing alg");
    }
    if (cty == null || !cty.equals(Headers.PAYLOAD_MEDIA_TYPE)) {
      throw new EnvelopeException(ReasonCode.CONTENT_TYPE_INVALID,
          "content type must be " + Headers.PAYLOAD_MEDIA_TYPE + ", found " + (cty == null ? "none" : "\"" + cty + "\""));
    }
    if (protectedChain != null && u.chain() != null) {
      throw new EnvelopeException(ReasonCode.CERT_CHAIN_INVALID, "x5chain present in both header buckets");
    }
    final List<byte[]> chain = protectedChain != null ? protectedChain : u.chain() != null ? u.chain() : List.of();
    Envelopes.checkChainShape(chain);
    final List<String> unknownCritical = new ArrayList<>();
    Envelopes.checkCommon(crit, present::contains, KNOWN_CRITICAL, scheme, signingTime, authentic, expiry,
        plugin != null, pluginMin != null, unknownCritical);
    return new ParsedEnvelope(Headers.MEDIA_TYPE_COSE, alg, cty, crit,
        SigningScheme.fromId(scheme).orElseThrow(), signingTime, authentic, expiry, plugin, pluginMin, extended,
        unknownCritical, chain, u.token(), u.agent(), payload, CborWriter.sigStructure(protectedBytes, payload),
        signature);
  }

  private static List<String> critical(final CBORParser p, final JsonToken v) throws IOException, EnvelopeException {
    if (v != JsonToken.START_ARRAY || p.getCurrentTag() != -1) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "crit must be an array");
    }
    final List<String> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.VALUE_STRING && p.getCurrentTag() == -1) {
        out.add(p.getText());
      } else if (t == JsonToken.VALUE_NUMBER_INT && p.getCurrentTag() == -1) {
        final long n = p.getLongValue();
        if (n >= 0 && n <= 8) {
          // RFC 9052: the labels 0-8 of the base COSE headers must not be listed.
          throw new EnvelopeException(ReasonCode.CRITICAL_HEADER_UNKNOWN, "crit must not list the COSE label " + n);
        }
        out.add("#" + n);
      } else {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "crit entries must be labels");
      }
      if (out.size() > 64) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "too many crit entries");
      }
    }
    return out;
  }

  private static String text(final CBORParser p, final JsonToken v, final String name, final ReasonCode reason)
      throws IOException, EnvelopeException {
    if (v != JsonToken.VALUE_STRING || p.getCurrentTag() != -1) {
      throw new EnvelopeException(reason, name + " must be a text string");
    }
    return p.getText();
  }

  /** Times must be CBOR tag 1 around an integer (notation-core-go accepts nothing else). */
  private static Instant epoch(final CBORParser p, final JsonToken v, final String name)
      throws IOException, EnvelopeException {
    if (v != JsonToken.VALUE_NUMBER_INT || p.getCurrentTag() != EPOCH_TAG || p.getCurrentTags().size() != 1) {
      throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID, name + " must be a tag-1 integer time");
    }
    if (p.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER) {
      throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID, name + " is out of range");
    }
    final long s = p.getLongValue();
    if (s < -62135596800L || s > 253402300799L) {
      throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID, name + " is out of range");
    }
    return Instant.ofEpochSecond(s);
  }

  private static String scalarText(final CBORParser p, final JsonToken v) throws IOException {
    if (v == JsonToken.START_ARRAY || v == JsonToken.START_OBJECT) {
      p.skipChildren();
      return "<structured>";
    }
    if (v == JsonToken.VALUE_EMBEDDED_OBJECT) {
      return "<bytes>";
    }
    return p.getText();
  }

  /** Encodes the protected header map for signing. */
  static byte[] protectedHeader(
      final SignatureAlgorithm alg, final SigningScheme scheme, final Instant signingTime, final Instant expiry,
      final Map<String, String> extended) {
    final List<String> crit = new ArrayList<>();
    crit.add(Headers.SIGNING_SCHEME);
    if (scheme == SigningScheme.X509_SIGNING_AUTHORITY) {
      crit.add(Headers.AUTHENTIC_SIGNING_TIME);
    }
    if (expiry != null) {
      crit.add(Headers.EXPIRY);
    }
    final int entries = 5 + (expiry != null ? 1 : 0) + extended.size();
    final CborWriter w = new CborWriter().map(entries);
    w.integer(LABEL_ALG).integer(alg.coseId());
    w.integer(LABEL_CRIT).array(crit.size());
    crit.forEach(w::text);
    w.integer(LABEL_CTY).text(Headers.PAYLOAD_MEDIA_TYPE);
    w.text(Headers.SIGNING_SCHEME).text(scheme.id());
    w.text(scheme == SigningScheme.X509 ? Headers.SIGNING_TIME : Headers.AUTHENTIC_SIGNING_TIME)
        .tag(EPOCH_TAG).integer(signingTime.getEpochSecond());
    if (expiry != null) {
      w.text(Headers.EXPIRY).tag(EPOCH_TAG).integer(expiry.getEpochSecond());
    }
    extended.forEach((k, v) -> w.text(k).text(v));
    return w.toByteArray();
  }

  /** Encodes a complete COSE_Sign1_Tagged envelope. */
  static byte[] assemble(
      final byte[] protectedBytes, final byte[] payload, final byte[] signature, final List<byte[]> chain,
      final byte[] timestampToken, final String signingAgent) {
    final CborWriter w = new CborWriter().tag(COSE_SIGN1_TAG).array(4).bytes(protectedBytes);
    final int n = 1 + (timestampToken != null ? 1 : 0) + (signingAgent != null ? 1 : 0);
    w.map(n).integer(LABEL_X5CHAIN).array(chain.size());
    chain.forEach(w::bytes);
    if (timestampToken != null) {
      w.text(Headers.TIMESTAMP_SIGNATURE).bytes(timestampToken);
    }
    if (signingAgent != null) {
      w.text(Headers.SIGNING_AGENT).text(signingAgent);
    }
    return w.bytes(payload).bytes(signature).toByteArray();
  }
}
