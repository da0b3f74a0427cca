package dev.sigstream.notary.envelope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.net.Rfc3339;
import dev.sigstream.notary.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Notary JWS envelopes: flattened JSON serialization (SPEC-NOTES section 5.2). Parsing is strict: only the four
 * top-level members, only the three unsigned header members, base64url without padding, duplicate keys rejected.
 */
public final class JwsEnvelope {

  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      // Trailing content after the document is an error, not silently ignored.
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(16)
        .maxStringLength(Envelopes.DEFAULT_MAX_ENVELOPE_BYTES * 2)
        .maxNumberLength(64)
        .build());
  }

  // The protected headers this verifier understands, each in a fixed slot.
  private static final int SLOT_ALG = 0;
  private static final int SLOT_CTY = 1;
  private static final int SLOT_CRIT = 2;
  private static final int SLOT_SCHEME = 3;
  private static final int SLOT_SIGNING_TIME = 4;
  private static final int SLOT_AUTHENTIC_TIME = 5;
  private static final int SLOT_EXPIRY = 6;
  private static final int SLOT_PLUGIN = 7;
  private static final int SLOT_PLUGIN_MIN = 8;
  private static final int PROTECTED_SLOTS = 9;

  /** The slot of a known protected header, or -1. */
  private static int slot(final String name) {
    return switch (name) {
      case "alg" -> SLOT_ALG;
      case "cty" -> SLOT_CTY;
      case "crit" -> SLOT_CRIT;
      case Headers.SIGNING_SCHEME -> SLOT_SCHEME;
      case Headers.SIGNING_TIME -> SLOT_SIGNING_TIME;
      case Headers.AUTHENTIC_SIGNING_TIME -> SLOT_AUTHENTIC_TIME;
      case Headers.EXPIRY -> SLOT_EXPIRY;
      case Headers.VERIFICATION_PLUGIN -> SLOT_PLUGIN;
      case Headers.VERIFICATION_PLUGIN_MIN_VERSION -> SLOT_PLUGIN_MIN;
      default -> -1;
    };
  }
  /** Names this verifier understands when listed in {@code crit}; the registered JOSE names may not be listed. */
  private static final Set<String> KNOWN_CRITICAL = Set.of(Headers.SIGNING_SCHEME, Headers.SIGNING_TIME,
      Headers.AUTHENTIC_SIGNING_TIME, Headers.EXPIRY, Headers.VERIFICATION_PLUGIN,
      Headers.VERIFICATION_PLUGIN_MIN_VERSION);
  private static final Set<String> REGISTERED = Set.of("alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256",
      "typ", "cty", "crit", "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c", "b64");

  /** Shared by all verifiers in the JVM: a pure function memo (text to bytes), safe to share. */
  private static final X5cMemo X5C = new X5cMemo(X5cMemo.DEFAULT_MAX_ENTRIES, X5cMemo.DEFAULT_MAX_BYTES);

  private JwsEnvelope() {}

  static ParsedEnvelope parse(final byte[] envelope, final int maxBytes) throws EnvelopeException {
    // Streaming parse of the outer object: no tree is built and no String is made of the base64 members; each is
    // decoded straight from the parser's buffer. A decoding error is kept and reported after the structural checks,
    // so the reason for an envelope with several defects does not depend on member order.
    B64Member payloadB64 = null;
    B64Member protectedB64 = null;
    B64Member signatureB64 = null;
    boolean headerSeen = false;
    List<byte[]> chain = null;
    byte[] token = null;
    String agent = null;
    try (JsonParser jp = JSON.createParser(envelope)) {
      if (jp.nextToken() != JsonToken.START_OBJECT) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "envelope is not a JSON object");
      }
      JsonToken t;
      while ((t = jp.nextToken()) == JsonToken.FIELD_NAME) {
        // Duplicate names, here and in nested objects, are rejected by the parser (STRICT_DUPLICATE_DETECTION).
        final String name = jp.currentName();
        final JsonToken v = jp.nextToken();
        switch (name) {
          case "payload" -> payloadB64 = B64Member.read(jp, v, name, true);
          case "protected" -> protectedB64 = B64Member.read(jp, v, name, true);
          case "signature" -> signatureB64 = B64Member.read(jp, v, name, false);
          case "header" -> {
            if (v != JsonToken.START_OBJECT) {
              throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "unprotected \"header\" must be an object");
            }
            headerSeen = true;
            JsonToken h;
            while ((h = jp.nextToken()) == JsonToken.FIELD_NAME) {
              final String hn = jp.currentName();
              final JsonToken hv = jp.nextToken();
              switch (hn) {
                case "x5c" -> chain = x5c(jp, hv);
                case Headers.TIMESTAMP_SIGNATURE -> {
                  if (hv != JsonToken.VALUE_STRING) {
                    throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + hn + "\" must be a string");
                  }
                  final int len = jp.getTextLength();
                  if (len > Headers.MAX_TIMESTAMP_BYTES * 4 / 3 + 4) {
                    throw new EnvelopeException(ReasonCode.ENVELOPE_TOO_LARGE, "timestampSignature exceeds the size limit");
                  }
                  token = B64.decodeStd(jp.getTextCharacters(), jp.getTextOffset(), len, Headers.TIMESTAMP_SIGNATURE);
                }
                case Headers.SIGNING_AGENT -> agent = string(jp, hv, hn);
                // Other unsigned header members are ignored: they are unauthenticated and carry nothing this
                // verifier uses (notation-go's own vectors carry "io.cncf.notary.SigningAgent", an unknown key).
                default -> jp.skipChildren();
              }
            }
            if (h != JsonToken.END_OBJECT) {
              throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "malformed unprotected header");
            }
          }
          // The spec does not support other members (notation-go ignores them; docs/notary-conformance.md row 4).
          default -> throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "unsupported JWS member \"" + name + "\"");
        }
      }
      if (t != JsonToken.END_OBJECT || jp.nextToken() != null) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "malformed JWS envelope");
      }
    } catch (final IOException e) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, jsonProblem("envelope", e));
    }
    if (payloadB64 == null || protectedB64 == null || signatureB64 == null) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "missing \"payload\", \"protected\" or \"signature\"");
    }
    if (!headerSeen) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "missing unprotected \"header\" object");
    }
    if (chain == null) {
      throw new EnvelopeException(ReasonCode.CERT_CHAIN_INVALID, "missing \"x5c\" certificate chain");
    }
    final byte[] payload = payloadB64.bytes();
    final byte[] protectedBytes = protectedB64.bytes();
    final byte[] signature = signatureB64.bytes();
    if (signature.length == 0) {
      throw new EnvelopeException(ReasonCode.SIGNATURE_INVALID, "empty signature");
    }
    Envelopes.checkChainShape(chain);

    // Protected header: one streaming pass collects the values (known names into fixed slots, no maps on the hot
    // path), then the rules run in a fixed order.
    final JsonToken[] kinds = new JsonToken[PROTECTED_SLOTS];
    final String[] texts = new String[PROTECTED_SLOTS];
    Map<String, String> extended = Map.of();
    List<String> crit = null;
    boolean critMalformed = false;
    String registeredName = null;
    try (JsonParser jp = JSON.createParser(protectedBytes)) {
      if (jp.nextToken() != JsonToken.START_OBJECT) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "protected header is not a JSON object");
      }
      JsonToken t;
      while ((t = jp.nextToken()) == JsonToken.FIELD_NAME) {
        // Duplicate names are rejected by the parser (STRICT_DUPLICATE_DETECTION).
        final String name = jp.currentName();
        final JsonToken v = jp.nextToken();
        final int slot = slot(name);
        final String text;
        if (slot == SLOT_CRIT) {
          text = null;
          if (v != JsonToken.START_ARRAY) {
            critMalformed = true;
            jp.skipChildren();
          } else {
            crit = new ArrayList<>(4);
            JsonToken c;
            while ((c = jp.nextToken()) != JsonToken.END_ARRAY) {
              if (c != JsonToken.VALUE_STRING) {
                critMalformed = true;
                jp.skipChildren();
              } else {
                crit.add(jp.getText());
              }
            }
          }
        } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          jp.skipChildren();
          text = "<structured>";
        } else {
          text = jp.getText();
        }
        if (slot >= 0) {
          kinds[slot] = v;
          texts[slot] = text;
        } else {
          if (REGISTERED.contains(name) && registeredName == null) {
            registeredName = name;
          }
          if (extended.isEmpty()) {
            extended = new HashMap<>();
          }
          extended.put(name, text);
        }
      }
      if (t != JsonToken.END_OBJECT || jp.nextToken() != null) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "malformed protected header");
      }
    } catch (final IOException e) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, jsonProblem("protected header", e));
    }
    final Map<String, String> unknownHeaders = extended;
    final java.util.function.Predicate<String> present = n -> {
      final int slot = slot(n);
      return slot >= 0 ? kinds[slot] != null : unknownHeaders.containsKey(n);
    };
    final String algText = kinds[SLOT_ALG] == JsonToken.VALUE_STRING ? texts[SLOT_ALG] : null;
    if (algText == null) {
      throw new EnvelopeException(ReasonCode.ALGORITHM_UNSUPPORTED, "missing \"alg\"");
    }
    final SignatureAlgorithm alg = SignatureAlgorithm.fromJws(algText).orElseThrow(() ->
        new EnvelopeException(ReasonCode.ALGORITHM_UNSUPPORTED, "unsupported \"alg\" \"" + algText + "\""));
    final String cty = kinds[SLOT_CTY] == JsonToken.VALUE_STRING ? texts[SLOT_CTY] : null;
    if (cty == null || !cty.equals(Headers.PAYLOAD_MEDIA_TYPE)) {
      throw new EnvelopeException(ReasonCode.CONTENT_TYPE_INVALID,
          "\"cty\" must be " + Headers.PAYLOAD_MEDIA_TYPE + ", found " + (cty == null ? "none" : "\"" + cty + "\""));
    }
    if (critMalformed) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"crit\" must be an array of strings");
    }
    if (crit != null) {
      for (final String c : crit) {
        if (REGISTERED.contains(c)) {
          // RFC 7515 4.1.11: registered names must not be listed.
          throw new EnvelopeException(ReasonCode.CRITICAL_HEADER_UNKNOWN,
              "\"crit\" must not list the registered header \"" + c + "\"");
        }
      }
    } else {
      crit = new ArrayList<>();
    }
    if (registeredName != null) {
      // e.g. a signed x5c or jwk: a key source the Notary spec does not allow.
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED,
          "unsupported protected header \"" + registeredName + "\"");
    }
    final String scheme = optText(kinds, texts, SLOT_SCHEME, Headers.SIGNING_SCHEME);
    final Instant signingTime = time(kinds, texts, SLOT_SIGNING_TIME, Headers.SIGNING_TIME);
    final Instant authentic = time(kinds, texts, SLOT_AUTHENTIC_TIME, Headers.AUTHENTIC_SIGNING_TIME);
    final Instant expiry = time(kinds, texts, SLOT_EXPIRY, Headers.EXPIRY);
    final String plugin = optText(kinds, texts, SLOT_PLUGIN, Headers.VERIFICATION_PLUGIN);
    final String pluginMin = optText(kinds, texts, SLOT_PLUGIN_MIN, Headers.VERIFICATION_PLUGIN_MIN_VERSION);
    final List<String> unknownCritical = new ArrayList<>();
    Envelopes.checkCommon(crit, present, KNOWN_CRITICAL, scheme, signingTime, authentic, expiry,
        plugin != null, pluginMin != null, unknownCritical);

    // The signing input is the ASCII of the two strings exactly as they appear (as JSON values) in the envelope.
    final byte[] p = protectedB64.ascii();
    final byte[] q = payloadB64.ascii();
    final byte[] signingInput = new byte[p.length + 1 + q.length];
    System.arraycopy(p, 0, signingInput, 0, p.length);
    signingInput[p.length] = '.';
    System.arraycopy(q, 0, signingInput, p.length + 1, q.length);
    return new ParsedEnvelope(Headers.MEDIA_TYPE_JWS, alg, cty, crit,
        SigningScheme.fromId(scheme).orElseThrow(), signingTime, authentic, expiry, plugin, pluginMin, unknownHeaders,
        unknownCritical, chain, token, agent, payload, signingInput, signature);
  }

  /**
   * A base64url member read from the parser: its decoded bytes and, when needed for the signing input, its ASCII
   * text; or the decoding error, reported only once the envelope's structure has been checked.
   */
  private record B64Member(byte[] decoded, byte[] text, EnvelopeException error) {

    static B64Member read(final JsonParser jp, final JsonToken v, final String field, final boolean keepText)
        throws IOException, EnvelopeException {
      if (v != JsonToken.VALUE_STRING) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" must be a string");
      }
      final char[] buf = jp.getTextCharacters();
      final int off = jp.getTextOffset();
      final int len = jp.getTextLength();
      final byte[] decoded;
      try {
        decoded = B64.decodeUrl(buf, off, len, field);
      } catch (final EnvelopeException e) {
        return new B64Member(null, null, e);
      }
      byte[] text = null;
      if (keepText) {
        // Decoding succeeded, so every character is in the base64url alphabet (ASCII).
        text = new byte[len];
        for (int i = 0; i < len; i++) {
          text[i] = (byte) buf[off + i];
        }
      }
      return new B64Member(decoded, text, null);
    }

    byte[] bytes() throws EnvelopeException {
      if (error != null) {
        throw error;
      }
      return decoded;
    }

    byte[] ascii() {
      return text;
    }
  }

  /** "X is not valid JSON", or names the duplicated member (the one parser error worth passing on). */
  private static String jsonProblem(final String what, final IOException e) {
    final String m = e.getMessage();
    if (e instanceof com.fasterxml.jackson.core.JsonParseException && m != null && m.startsWith("Duplicate field '")) {
      final int end = m.indexOf('\'', 17);
      if (end > 17 && end - 17 <= 64) {
        return what + " has a duplicate member \"" + m.substring(17, end) + "\"";
      }
      return what + " has a duplicate member";
    }
    return what + " is not valid JSON";
  }

  private static String string(final JsonParser jp, final JsonToken v, final String field)
      throws IOException, EnvelopeException {
    if (v != JsonToken.VALUE_STRING) {
      throw new EnvelopeException(ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" must be a string");
    }
    return jp.getText();
  }

  private static List<byte[]> x5c(final JsonParser jp, final JsonToken v) throws IOException, EnvelopeException {
    if (v != JsonToken.START_ARRAY) {
      throw new EnvelopeException(ReasonCode.CERT_CHAIN_INVALID, "\"x5c\" must be an array");
    }
    final List<byte[]> chain = new ArrayList<>(4);
    JsonToken t;
    while ((t = jp.nextToken()) != JsonToken.END_ARRAY) {
      if (chain.size() >= Headers.MAX_CHAIN_LENGTH) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_TOO_LARGE,
            "certificate chain exceeds the limit of " + Headers.MAX_CHAIN_LENGTH + " certificates");
      }
      if (t != JsonToken.VALUE_STRING) {
        throw new EnvelopeException(ReasonCode.CERT_CHAIN_INVALID, "\"x5c\" entries must be strings");
      }
      final int len = jp.getTextLength();
      if (len > Headers.MAX_CERTIFICATE_BYTES * 4 / 3 + 4) {
        throw new EnvelopeException(ReasonCode.ENVELOPE_TOO_LARGE, "\"x5c\" certificate exceeds the size limit");
      }
      chain.add(X5C.decode(jp.getTextCharacters(), jp.getTextOffset(), len));
    }
    return chain;
  }

  private static String optText(final JsonToken[] kinds, final String[] texts, final int slot, final String field)
      throws EnvelopeException {
    final JsonToken k = kinds[slot];
    if (k == null) {
      return null;
    }
    if (k != JsonToken.VALUE_STRING) {
      throw new EnvelopeException(field.equals(Headers.SIGNING_SCHEME) ? ReasonCode.SIGNING_SCHEME_INVALID
          : ReasonCode.ENVELOPE_MALFORMED, "\"" + field + "\" must be a string");
    }
    return texts[slot];
  }

  private static Instant time(final JsonToken[] kinds, final String[] texts, final int slot, final String field)
      throws EnvelopeException {
    final JsonToken k = kinds[slot];
    if (k == null) {
      return null;
    }
    final Instant t = k == JsonToken.VALUE_STRING ? rfc3339(texts[slot]) : null;
    if (t == null) {
      throw new EnvelopeException(ReasonCode.SIGNING_TIME_INVALID, "\"" + field + "\" is not an RFC 3339 time");
    }
    return t;
  }

  /** Strict RFC 3339 {@code date-time} ({@link Rfc3339#parse}); null when invalid. */
  static Instant rfc3339(final String s) {
    return Rfc3339.parse(s);
  }

  /**
   * Builds a JWS envelope. Package-private: the signer composes it.
   *
   * @param protectedHeader the protected header JSON object (already complete)
   * @param payload payload bytes
   * @param signer produces the signature over the signing input
   */
  static Built build(final ObjectNode protectedHeader, final byte[] payload) {
    try {
      final String protectedB64 = B64.encodeUrl(JSON.writeValueAsBytes(protectedHeader));
      final String payloadB64 = B64.encodeUrl(payload);
      return new Built(protectedB64, payloadB64,
          (protectedB64 + "." + payloadB64).getBytes(StandardCharsets.US_ASCII));
    } catch (final IOException e) {
      throw new IllegalStateException(e);
    }
  }

  record Built(String protectedB64, String payloadB64, byte[] signingInput) {}

  static byte[] assemble(
      final Built built, final byte[] signature, final List<byte[]> chain, final byte[] timestampToken,
      final String signingAgent) {
    final ObjectNode root = JSON.createObjectNode();
    root.put("payload", built.payloadB64());
    root.put("protected", built.protectedB64());
    final ObjectNode header = root.putObject("header");
    final ArrayNode x5c = header.putArray("x5c");
    for (final byte[] c : chain) {
      x5c.add(B64.encodeStd(c));
    }
    if (timestampToken != null) {
      header.put(Headers.TIMESTAMP_SIGNATURE, B64.encodeStd(timestampToken));
    }
    if (signingAgent != null) {
      header.put(Headers.SIGNING_AGENT, signingAgent);
    }
    root.put("signature", B64.encodeUrl(signature));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (final IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
