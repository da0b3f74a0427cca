package dev.sigstream.notary.sign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.cert.Certificates;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The OCI 1.1 signature manifest for an envelope (SPEC-NOTES section 1, shape A): {@code artifactType}
 * {@code application/vnd.cncf.notary.signature}, the empty config, one layer (the envelope), {@code subject}, and
 * the thumbprint and creation annotations. Registry I/O is the oci module's job: push the envelope blob, the
 * empty config blob, then these manifest bytes.
 *
 * @param json manifest bytes, exactly as to push
 * @param digest {@code sha256:} digest of {@link #json}
 * @param layerDigest digest of the envelope blob
 * @param layerSize size of the envelope blob
 */
public record SignatureManifest(byte[] json, String digest, String layerDigest, long layerSize) {

  public static final String MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String ARTIFACT_TYPE = "application/vnd.cncf.notary.signature";
  public static final String EMPTY_CONFIG_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
  public static final String EMPTY_CONFIG_DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  /** The empty config blob: {@code {}}. */
  public static final byte[] EMPTY_CONFIG = {'{', '}'};
  public static final String THUMBPRINT_ANNOTATION = "io.cncf.notary.x509chain.thumbprint#S256";
  public static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  public SignatureManifest {
    json = json.clone();
  }

  @Override
  public byte[] json() {
    return json.clone();
  }

  /** Builds the manifest for a signed envelope over {@code subject}. */
  public static SignatureManifest of(final TargetDescriptor subject, final SignedEnvelope envelope) {
    return of(subject, envelope.mediaType(), envelope.envelope(), envelope.thumbprints(), envelope.signingTime());
  }

  /**
   * @param thumbprints leaf-first SHA-256 fingerprints (lower-case hex, as notation writes them)
   * @param created signing time, written as {@code org.opencontainers.image.created}
   */
  public static SignatureManifest of(
      final TargetDescriptor subject, final String envelopeMediaType, final byte[] envelope,
      final List<String> thumbprints, final Instant created) {
    final ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MEDIA_TYPE);
    m.put("artifactType", ARTIFACT_TYPE);
    final ObjectNode config = m.putObject("config");
    config.put("mediaType", EMPTY_CONFIG_MEDIA_TYPE);
    config.put("digest", EMPTY_CONFIG_DIGEST);
    config.put("size", 2);
    config.put("data", "e30=");
    final String layerDigest = "sha256:" + Certificates.sha256Hex(envelope);
    final ObjectNode layer = m.putArray("layers").addObject();
    layer.put("mediaType", envelopeMediaType);
    layer.put("digest", layerDigest);
    layer.put("size", envelope.length);
    final ObjectNode s = m.putObject("subject");
    s.put("mediaType", subject.mediaType());
    s.put("digest", subject.digest());
    s.put("size", subject.size());
    final ObjectNode ann = m.putObject("annotations");
    try {
      // The thumbprint list is a JSON array serialised as a string (SPEC).
      ann.put(THUMBPRINT_ANNOTATION, JSON.writeValueAsString(thumbprints));
      ann.put(CREATED_ANNOTATION, RFC3339.format(created));
      final byte[] bytes = JSON.writeValueAsBytes(m);
      return new SignatureManifest(bytes, "sha256:" + Certificates.sha256Hex(bytes), layerDigest, envelope.length);
    } catch (final IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
