package dev.sigstream.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notary.EnvelopeInspection;
import dev.sigstream.notary.NotaryVerifier;
import dev.sigstream.notary.cert.Certificates;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.notary.SignatureCandidate;
import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import dev.sigstream.oci.classify.ArtifactClass;
import dev.sigstream.oci.classify.ArtifactClassifier;
import dev.sigstream.oci.classify.Classification;
import dev.sigstream.oci.classify.Evidence;
import dev.sigstream.oci.sbom.SbomChecker;
import dev.sigstream.oci.sbom.SbomPolicy;
import dev.sigstream.oci.sbom.SbomReport;
import dev.sigstream.verifier.core.ArtifactDiscovery;
import dev.sigstream.verifier.core.Discovery;
import dev.sigstream.verifier.core.DiscoveryPlan;
import dev.sigstream.verifier.core.SbomFormats;
import dev.sigstream.verifier.core.SbomMaterial;
import dev.sigstream.verifier.core.SignatureMaterial;
import dev.sigstream.verifier.core.VerifyLimits;
import java.io.PrintWriter;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigstream inspect}: what an artifact is and what is attached to it, like {@code notation inspect}. Nothing
 * shown here is verified (use {@code sigstream verify}); signature fields are read from the envelopes as written.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Show an artifact's class, signatures, SBOMs and other referrers.",
        "Class with its evidence; per signature: envelope, scheme, signer chain (subjects, SHA-256 fingerprints),",
        "signing time, timestamp and expiry. Nothing shown is verified: use 'sigstream verify' for that."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:inspected", "2:usage error", "3:registry or network error (including not found)"})
public final class InspectCommand extends CliCommand {

  @Parameters(index = "0", paramLabel = "REFERENCE",
      description = "registry/repository@digest or registry/repository:tag")
  String reference;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--max-signatures", paramLabel = "N", defaultValue = "100",
      description = "Most signatures to fetch (default: ${DEFAULT-VALUE}).")
  int maxSignatures;

  @Mixin
  RegistryOptions registry = new RegistryOptions();

  @Override
  int run() throws Exception {
    final Reference ref = parseReference(reference);
    final boolean json = OutputFormat.json(output);
    final RegistryClient client = registry.client(ref, this);
    final ArtifactDiscovery discovery = new ArtifactDiscovery(new ArtifactClassifier(), VerifyLimits.DEFAULTS
        .withMaxSignatures(Math.max(1, maxSignatures)).withDeadline(registry.artifactDeadline()));
    final Deadline deadline = registry.commandDeadline(this);
    final Reference resolved = found(discovery.resolve(client, deadline, ref).join(), "resolving " + ref);
    final Discovery found = discovery.discover(client, deadline, resolved, DiscoveryPlan.INSPECT).join();
    if (found instanceof Discovery.Failed f) {
      throw failure(f.problem());
    }
    final Discovery.Complete d = (Discovery.Complete) found;
    final ObjectNode doc = describe(d);
    if (json) {
      out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else {
      printText(doc, out());
    }
    return ExitCodes.OK;
  }

  static ObjectNode describe(final Discovery.Complete d) {
    final ObjectMapper om = new ObjectMapper();
    final ObjectNode o = om.createObjectNode();
    o.put("reference", d.artifact().registry() + "/" + d.artifact().repository() + "@" + d.artifact().digest());
    o.put("tag", d.artifact().tag());
    o.put("mediaType", d.manifest().mediaType());
    o.put("artifactType", d.manifest().artifactType());
    o.put("size", d.manifest().bytes().length);
    classification(o, d.classification());
    o.put("referrersSource", d.source() == null ? null : d.source().name());
    o.put("referrersTruncated", d.truncated());
    o.put("signaturesNotFetched", d.signaturesBeyondCap());
    final ArrayNode sigs = o.putArray("signatures");
    for (final SignatureMaterial m : d.signatures()) {
      sigs.add(signature(om, m));
    }
    final ArrayNode sboms = o.putArray("sboms");
    final SbomChecker sbomChecker = new SbomChecker(SbomPolicy.NONE);
    for (final SbomMaterial m : d.sboms()) {
      final String kind = d.referrers().stream().filter(l -> l.descriptor().digest().equals(m.descriptor().digest()))
          .findFirst().map(l -> l.classification().kind()).orElse("unknown");
      sboms.add(sbom(om, m, sbomChecker, kind));
    }
    final ArrayNode others = o.putArray("otherReferrers");
    for (final Discovery.Listed ref : d.referrers()) {
      final Classification c = ref.classification();
      if (ref.notarySignature() || c.artifactClass() == ArtifactClass.SBOM) {
        continue;
      }
      final ObjectNode x = others.addObject();
      x.put("digest", ref.descriptor().digest().toString());
      x.put("artifactType", ref.descriptor().artifactType());
      x.put("artifactClass", c.artifactClass().name());
      x.put("kind", c.kind());
    }
    return o;
  }

  private static void classification(final ObjectNode o, final Classification c) {
    o.put("artifactClass", c.artifactClass().name());
    o.put("kind", c.kind());
    o.put("platform", c.platform() == null ? null : c.platform().toString());
    final ArrayNode ev = o.putArray("evidence");
    for (final Evidence e : c.evidence()) {
      ev.addObject().put("field", e.field()).put("value", e.value()).put("rule", e.rule());
    }
    if (!c.children().isEmpty()) {
      final ArrayNode kids = o.putArray("children");
      for (final Classification.Child k : c.children()) {
        kids.addObject().put("digest", k.descriptor().digest().toString())
            .put("artifactClass", k.classification().artifactClass().name())
            .put("kind", k.classification().kind())
            .put("platform", k.descriptor().platform() == null ? null : k.descriptor().platform().toString());
      }
    }
  }

  private static ObjectNode signature(final ObjectMapper om, final SignatureMaterial m) {
    final ObjectNode s = om.createObjectNode();
    s.put("manifestDigest", m.descriptor().digest().toString());
    if (m.problem().isPresent()) {
      s.put("problem", m.problem().get().detail());
      return s;
    }
    final SignatureCandidate candidate = m.candidate().orElseThrow();
    final byte[] blob = candidate.envelope();
    final EnvelopeInspection in = NotaryVerifier.inspect(candidate.envelopeMediaType(), blob);
    s.put("envelopeType", candidate.envelopeMediaType());
    s.put("envelopeSize", blob.length);
    if (!in.parsed()) {
      s.put("problem", in.reason() + ": " + in.detail());
      return s;
    }
    final var env = in.envelope();
    s.put("signatureAlgorithm", env.algorithm().toString());
    s.put("signingScheme", env.signingScheme().id());
    s.put("signingTime", str(env.signingTime()));
    s.put("authenticSigningTime", str(env.authenticSigningTime()));
    s.put("expiry", str(env.expiry()));
    s.put("signingAgent", env.signingAgent());
    final ObjectNode ts = s.putObject("timestamp");
    ts.put("present", env.timestampToken() != null);
    if (env.timestampToken() != null) {
      ts.put("genTime", str(in.unverifiedTimestampGenTime()));
    }
    if (in.payload() != null) {
      final ObjectNode p = s.putObject("payload");
      p.put("mediaType", in.payload().mediaType()).put("digest", in.payload().digest()).put("size",
          in.payload().size());
      final ObjectNode ann = p.putObject("annotations");
      in.payload().annotations().forEach(ann::put);
    }
    final ArrayNode chain = s.putArray("certificates");
    for (final X509Certificate c : in.certificates()) {
      chain.addObject()
          .put("subject", c.getSubjectX500Principal().getName())
          .put("issuer", c.getIssuerX500Principal().getName())
          .put("sha256", Certificates.sha256Hex(c))
          .put("notBefore", c.getNotBefore().toInstant().toString())
          .put("notAfter", c.getNotAfter().toInstant().toString());
    }
    if (!in.detail().isEmpty()) {
      s.put("note", in.detail());
    }
    return s;
  }

  private static ObjectNode sbom(final ObjectMapper om, final SbomMaterial m, final SbomChecker checker,
      final String kind) {
    final ObjectNode s = om.createObjectNode();
    s.put("digest", m.descriptor().digest().toString());
    s.put("artifactType", m.descriptor().artifactType());
    s.put("kind", kind);
    if (m.problem().isPresent()) {
      s.put("problem", m.problem().get().detail());
      return s;
    }
    final byte[] blob = m.documentBytes().orElseThrow();
    final Descriptor layer = m.document().orElseThrow();
    final SbomReport r = checker.check(blob, layer.mediaType());
    s.put("format", SbomFormats.name(r.format()));
    s.put("specVersion", r.specVersion());
    s.put("packageCount", r.packageCount());
    s.put("valid", r.valid());
    final ArrayNode probs = s.putArray("problems");
    r.problems().forEach(probs::add);
    return s;
  }

  private static String str(final Instant t) {
    return t == null ? null : t.toString();
  }

  static void printText(final ObjectNode o, final PrintWriter out) {
    out.println(o.get("reference").asText() + (o.get("tag").isNull() ? "" : "  (tag " + o.get("tag").asText() + ")"));
    out.println("  media type: " + o.get("mediaType").asText() + ", " + o.get("size").asLong() + " bytes");
    out.println("  class:      " + o.get("artifactClass").asText() + " (" + o.get("kind").asText() + ")"
        + (o.get("platform").isNull() ? "" : " " + o.get("platform").asText()));
    for (final var e : o.get("evidence")) {
      out.println("  evidence:   " + e.get("field").asText() + "=" + e.get("value").asText() + " ("
          + e.get("rule").asText() + ")");
    }
    if (o.has("children")) {
      for (final var k : o.get("children")) {
        out.println("  child:      " + k.get("digest").asText() + " " + k.get("artifactClass").asText()
            + (k.get("platform").isNull() ? "" : " " + k.get("platform").asText()));
      }
    }
    out.println("Signatures (" + o.get("signatures").size() + ", not verified):");
    if (o.get("signaturesNotFetched").asInt() > 0) {
      out.println("  (" + o.get("signaturesNotFetched").asInt() + " more not fetched: over --max-signatures)");
    }
    for (final var s : o.get("signatures")) {
      out.println("  " + s.get("manifestDigest").asText());
      if (s.has("problem")) {
        out.println("    problem: " + s.get("problem").asText());
      }
      if (!s.has("signingScheme")) {
        continue;
      }
      out.println("    envelope: " + s.get("envelopeType").asText() + ", " + s.get("signatureAlgorithm").asText()
          + ", scheme " + s.get("signingScheme").asText());
      final String time = s.get("signingTime").isNull() ? s.get("authenticSigningTime").asText()
          : s.get("signingTime").asText();
      out.println("    signing time: " + time);
      final var ts = s.get("timestamp");
      out.println("    timestamp: " + (ts.get("present").asBoolean() ? (ts.get("genTime").isNull() ? "present"
          : ts.get("genTime").asText()) : "none"));
      out.println("    expiry: " + (s.get("expiry").isNull() ? "none" : s.get("expiry").asText()));
      for (final Iterator<com.fasterxml.jackson.databind.JsonNode> it = s.get("certificates").elements();
          it.hasNext();) {
        final var c = it.next();
        out.println("    cert: " + c.get("subject").asText());
        out.println("          sha256 " + c.get("sha256").asText() + ", valid " + c.get("notBefore").asText()
            + " .. " + c.get("notAfter").asText());
      }
    }
    out.println("SBOMs (" + o.get("sboms").size() + "):");
    for (final var s : o.get("sboms")) {
      out.println("  " + s.get("digest").asText() + " " + (s.has("format") ? s.get("format").asText() + ", "
          + s.get("packageCount").asInt() + " packages" + (s.get("valid").asBoolean() ? "" : ", INVALID")
          : s.get("problem").asText()));
    }
    out.println("Other referrers (" + o.get("otherReferrers").size() + "):");
    for (final var x : o.get("otherReferrers")) {
      out.println("  " + x.get("digest").asText() + " " + x.get("artifactClass").asText() + " ("
          + x.get("kind").asText() + ")");
    }
  }
}
