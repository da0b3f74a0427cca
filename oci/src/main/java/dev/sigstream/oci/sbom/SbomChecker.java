package dev.sigstream.oci.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Checks one SBOM document: format detection, minimal structural validity (required fields per
 * {@code classify/README.md} §4), package count, and the licence/package deny lists of a {@link SbomPolicy}.
 *
 * <p>Pure and thread-safe: no I/O, never throws for bad input (problems are reported in the {@link SbomReport}).
 * Whether the SBOM itself is signed is checked separately, by the verification path in {@code verifier-core},
 * which enforces it when {@link SbomPolicy#requireSignature()} is set. Formats: SPDX 2.x JSON, SPDX 3.0 JSON-LD, CycloneDX JSON and XML,
 * Syft JSON. SPDX tag-value/XML/YAML are detected by media type only and reported as unsupported.
 */
public final class SbomChecker {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SPDX2_VERSION = Pattern.compile("SPDX-2\\.[0-3]");
  private static final Pattern CDX_NS = Pattern.compile("http://cyclonedx\\.org/schema/bom/(1\\.[0-9]+)");
  private static final Pattern WORD = Pattern.compile("[()\\s]+");

  private final SbomPolicy policy;

  public SbomChecker(final SbomPolicy policy) {
    this.policy = policy;
  }

  /**
   * Checks {@code content}.
   *
   * @param mediaType the layer/artifact media type, or null; used to spot a content/type mismatch
   */
  public SbomReport check(final byte[] content, final String mediaType) {
    final Acc acc = new Acc();
    if (content == null || content.length == 0) {
      acc.problems.add("empty document");
      return acc.report(SbomFormat.UNKNOWN, null);
    }
    int i = 0;
    while (i < content.length && Character.isWhitespace(content[i])) {
      i++;
    }
    if (i < content.length && content[i] == '<') {
      return checkCycloneDxXml(content, acc, mediaType);
    }
    final JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (IOException e) {
      acc.problems.add("not valid JSON or XML");
      return acc.report(SbomFormat.UNKNOWN, null);
    }
    if (root == null || !root.isObject()) {
      acc.problems.add("document is not a JSON object");
      return acc.report(SbomFormat.UNKNOWN, null);
    }
    final SbomReport r;
    if (root.has("spdxVersion")) {
      r = checkSpdx2(root, acc);
    } else if (root.has("@graph") || root.has("@context")) {
      r = checkSpdx3(root, acc);
    } else if (root.has("bomFormat")) {
      r = checkCycloneDxJson(root, acc);
    } else if (root.has("artifacts") && (root.has("descriptor") || root.has("schema"))) {
      r = checkSyft(root, acc);
    } else {
      acc.problems.add("unrecognised SBOM format (no spdxVersion, @graph, bomFormat or Syft artifacts)");
      return acc.report(SbomFormat.UNKNOWN, null);
    }
    return withTypeCheck(r, mediaType);
  }

  // --- SPDX 2.x -----------------------------------------------------------------------------------------------

  private SbomReport checkSpdx2(final JsonNode root, final Acc acc) {
    final String version = text(root, "spdxVersion");
    if (version == null || !SPDX2_VERSION.matcher(version).matches()) {
      acc.problems.add("spdxVersion must match SPDX-2.[0-3], got " + version);
    }
    require(root, acc, "", "SPDXID", "creationInfo", "dataLicense", "name", "spdxVersion", "documentNamespace");
    if (root.has("SPDXID") && !"SPDXRef-DOCUMENT".equals(text(root, "SPDXID"))) {
      acc.problems.add("SPDXID must be SPDXRef-DOCUMENT");
    }
    if (root.has("dataLicense") && !"CC0-1.0".equals(text(root, "dataLicense"))) {
      acc.problems.add("dataLicense must be CC0-1.0");
    }
    final JsonNode ci = root.get("creationInfo");
    if (ci != null) {
      require(ci, acc, "creationInfo.", "created", "creators");
    }
    final JsonNode pkgs = root.get("packages");
    if (pkgs != null && !pkgs.isArray()) {
      acc.problems.add("packages is not an array");
    } else if (pkgs != null) {
      int i = 0;
      for (JsonNode p : pkgs) {
        require(p, acc, "packages[" + i++ + "].", "SPDXID", "downloadLocation", "name");
        String lic = text(p, "licenseConcluded");
        if (lic == null || isNoAssertion(lic)) {
          lic = text(p, "licenseDeclared");
        }
        acc.add(new SbomPackage(text(p, "name"), text(p, "versionInfo"), lic), policy);
      }
    }
    return acc.report(SbomFormat.SPDX_2_JSON, version);
  }

  // --- SPDX 3.0 JSON-LD ---------------------------------------------------------------------------------------

  private SbomReport checkSpdx3(final JsonNode root, final Acc acc) {
    final JsonNode ctx = root.get("@context");
    final String context = ctx == null ? null : ctx.isTextual() ? ctx.asText() : ctx.toString();
    if (context == null || !context.contains("spdx.org/rdf/3.0")) {
      acc.problems.add("@context must be the SPDX 3.0 context (https://spdx.org/rdf/3.0.x/spdx-context.jsonld)");
    }
    final JsonNode graph = root.get("@graph");
    if (graph == null || !graph.isArray()) {
      acc.problems.add("@graph array missing");
      return acc.report(SbomFormat.SPDX_3_JSONLD, null);
    }
    final Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode n : graph) {
      final String id = n.hasNonNull("spdxId") ? n.get("spdxId").asText() : text(n, "@id");
      if (id != null) {
        byId.put(id, n);
      }
    }
    String specVersion = null;
    boolean creationInfo = false;
    boolean document = false;
    boolean sbom = false;
    final Map<String, String> concluded = new HashMap<>();
    final Map<String, String> declared = new HashMap<>();
    for (JsonNode n : graph) {
      final String type = text(n, "type");
      if ("CreationInfo".equals(type)) {
        creationInfo = true;
        specVersion = text(n, "specVersion");
        require(n, acc, "CreationInfo.", "specVersion", "created", "createdBy");
        if (specVersion != null && !specVersion.startsWith("3.0")) {
          acc.problems.add("CreationInfo.specVersion must be 3.0.x, got " + specVersion);
        }
      } else if ("SpdxDocument".equals(type)) {
        document = true;
        require(n, acc, "SpdxDocument.", "spdxId", "creationInfo", "rootElement");
      } else if ("software_Sbom".equals(type)) {
        sbom = true;
      } else if ("Relationship".equals(type)) {
        final String rt = text(n, "relationshipType");
        final Map<String, String> target = "hasConcludedLicense".equals(rt) ? concluded
            : "hasDeclaredLicense".equals(rt) ? declared : null;
        if (target != null && n.has("from") && n.get("to") != null) {
          final List<String> exprs = new ArrayList<>();
          n.get("to").forEach(t -> exprs.add(licenseOf(byId.get(t.asText()), t.asText())));
          target.put(n.get("from").asText(), exprs.size() == 1 ? exprs.get(0)
              : "(" + String.join(") AND (", exprs) + ")");
        }
      }
    }
    if (!creationInfo) {
      acc.problems.add("no CreationInfo element");
    }
    if (!document) {
      acc.problems.add("no SpdxDocument element");
    }
    if (!sbom) {
      acc.problems.add("no software_Sbom element");
    }
    for (JsonNode n : graph) {
      if ("software_Package".equals(text(n, "type"))) {
        final String id = text(n, "spdxId");
        final String lic = concluded.containsKey(id) && !isNoAssertion(concluded.get(id)) ? concluded.get(id)
            : declared.get(id);
        acc.add(new SbomPackage(text(n, "name"), text(n, "software_packageVersion"), lic), policy);
      }
    }
    return acc.report(SbomFormat.SPDX_3_JSONLD, specVersion);
  }

  private static String licenseOf(final JsonNode el, final String id) {
    if (el != null && el.hasNonNull("simplelicensing_licenseExpression")) {
      return el.get("simplelicensing_licenseExpression").asText();
    }
    // Listed licences are referenced as https://spdx.org/licenses/<id>.
    final int slash = id.lastIndexOf('/');
    return slash >= 0 ? id.substring(slash + 1) : id;
  }

  // --- CycloneDX ----------------------------------------------------------------------------------------------

  private SbomReport checkCycloneDxJson(final JsonNode root, final Acc acc) {
    if (!"CycloneDX".equals(text(root, "bomFormat"))) {
      acc.problems.add("bomFormat must be CycloneDX");
    }
    final String spec = text(root, "specVersion");
    if (spec == null) {
      acc.problems.add("specVersion (string) is required");
    } else if (("1.4".equals(spec) || "1.5".equals(spec) || spec.startsWith("1.3") || spec.startsWith("1.2"))
        && !root.has("version")) {
      acc.problems.add("version is required for CycloneDX " + spec);
    }
    if (root.has("version") && (!root.get("version").canConvertToInt() || root.get("version").asInt() < 1)) {
      acc.problems.add("version must be an integer >= 1");
    }
    if (root.has("serialNumber") && !text(root, "serialNumber").matches("urn:uuid:[0-9a-fA-F-]{36}")) {
      acc.problems.add("serialNumber must be urn:uuid:<uuid>");
    }
    cdxComponents(root.get("components"), "components", acc);
    return acc.report(SbomFormat.CYCLONEDX_JSON, spec);
  }

  private void cdxComponents(final JsonNode comps, final String path, final Acc acc) {
    if (comps == null) {
      return;
    }
    if (!comps.isArray()) {
      acc.problems.add(path + " is not an array");
      return;
    }
    int i = 0;
    for (JsonNode c : comps) {
      final String p = path + "[" + i++ + "]";
      require(c, acc, p + ".", "type", "name");
      final List<String> lics = new ArrayList<>();
      final JsonNode l = c.get("licenses");
      if (l != null && l.isArray()) {
        for (JsonNode e : l) {
          if (e.hasNonNull("expression")) {
            lics.add(e.get("expression").asText());
          } else if (e.has("license")) {
            final JsonNode lic = e.get("license");
            final String v = lic.hasNonNull("id") ? lic.get("id").asText() : text(lic, "name");
            if (v != null) {
              lics.add(v);
            }
          }
        }
      }
      acc.add(new SbomPackage(text(c, "name"), text(c, "version"), joinAnd(lics)), policy);
      cdxComponents(c.get("components"), p + ".components", acc);
    }
  }

  private SbomReport checkCycloneDxXml(final byte[] content, final Acc acc, final String mediaType) {
    final Document doc;
    try {
      doc = secureBuilder().parse(new ByteArrayInputStream(content));
    } catch (SAXException | IOException | ParserConfigurationException e) {
      acc.problems.add("not well-formed XML (DTDs and external entities are refused)");
      return acc.report(SbomFormat.UNKNOWN, null);
    }
    final Element root = doc.getDocumentElement();
    final String ns = root.getNamespaceURI();
    final var m = ns == null ? null : CDX_NS.matcher(ns);
    if (!"bom".equals(root.getLocalName()) || m == null || !m.matches()) {
      acc.problems.add("XML root must be <bom> in a http://cyclonedx.org/schema/bom/1.x namespace");
      return acc.report(SbomFormat.UNKNOWN, null);
    }
    final String spec = m.group(1);
    if (root.hasAttribute("version") && !root.getAttribute("version").matches("[1-9][0-9]*")) {
      acc.problems.add("version attribute must be an integer >= 1");
    }
    int i = 0;
    for (Element c : descendants(root, "component")) {
      final String p = "component[" + i++ + "]";
      if (!c.hasAttribute("type")) {
        acc.problems.add(p + ": type attribute is required");
      }
      final String name = childText(c, "name");
      if (name == null) {
        acc.problems.add(p + ": name is required");
      }
      final List<String> lics = new ArrayList<>();
      final Element licenses = child(c, "licenses");
      if (licenses != null) {
        for (Node n = licenses.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n instanceof Element e) {
            if ("expression".equals(e.getLocalName())) {
              lics.add(e.getTextContent().trim());
            } else if ("license".equals(e.getLocalName())) {
              final String id = childText(e, "id");
              final String nm = childText(e, "name");
              if (id != null || nm != null) {
                lics.add(id != null ? id : nm);
              }
            }
          }
        }
      }
      acc.add(new SbomPackage(name, childText(c, "version"), joinAnd(lics)), policy);
    }
    return withTypeCheck(acc.report(SbomFormat.CYCLONEDX_XML, spec), mediaType);
  }

  private static DocumentBuilder secureBuilder() throws ParserConfigurationException {
    final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    // XXE: SBOMs come from registries anyone may push to.
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    final DocumentBuilder b = f.newDocumentBuilder();
    b.setErrorHandler(null);
    return b;
  }

  private static List<Element> descendants(final Element root, final String local) {
    final List<Element> out = new ArrayList<>();
    final NodeList all = root.getElementsByTagNameNS("*", local);
    for (int i = 0; i < all.getLength(); i++) {
      out.add((Element) all.item(i));
    }
    return out;
  }

  private static Element child(final Element e, final String local) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && local.equals(c.getLocalName())) {
        return c;
      }
    }
    return null;
  }

  private static String childText(final Element e, final String local) {
    final Element c = child(e, local);
    return c == null ? null : c.getTextContent().trim();
  }

  // --- Syft ---------------------------------------------------------------------------------------------------

  private SbomReport checkSyft(final JsonNode root, final Acc acc) {
    final JsonNode descriptor = root.get("descriptor");
    if (descriptor == null || !"syft".equals(text(descriptor, "name"))) {
      acc.problems.add("descriptor.name must be syft");
    }
    final JsonNode schema = root.get("schema");
    final String version = schema == null ? null : text(schema, "version");
    if (version == null) {
      acc.problems.add("schema.version is required");
    }
    final JsonNode arts = root.get("artifacts");
    if (!arts.isArray()) {
      acc.problems.add("artifacts is not an array");
      return acc.report(SbomFormat.SYFT_JSON, version);
    }
    int i = 0;
    for (JsonNode a : arts) {
      require(a, acc, "artifacts[" + i++ + "].", "name", "version", "type");
      final List<String> lics = new ArrayList<>();
      final JsonNode l = a.get("licenses");
      if (l != null && l.isArray()) {
        for (JsonNode e : l) {
          if (e.isTextual()) {
            lics.add(e.asText());
          } else if (e.hasNonNull("spdxExpression") && !e.get("spdxExpression").asText().isEmpty()) {
            lics.add(e.get("spdxExpression").asText());
          } else if (e.hasNonNull("value")) {
            lics.add(e.get("value").asText());
          }
        }
      }
      acc.add(new SbomPackage(text(a, "name"), text(a, "version"), joinAnd(lics)), policy);
    }
    return acc.report(SbomFormat.SYFT_JSON, version);
  }

  // --- shared -------------------------------------------------------------------------------------------------

  private static SbomReport withTypeCheck(final SbomReport r, final String mediaType) {
    final String mt = MediaTypes.normalize(mediaType);
    if (mt == null || r.format() == SbomFormat.UNKNOWN) {
      return r;
    }
    final boolean saysSpdx = mt.contains("spdx");
    final boolean saysCdx = mt.contains("cyclonedx");
    final boolean saysSyft = mt.contains("syft");
    final boolean isSpdx = r.format() == SbomFormat.SPDX_2_JSON || r.format() == SbomFormat.SPDX_3_JSONLD;
    final boolean isCdx = r.format() == SbomFormat.CYCLONEDX_JSON || r.format() == SbomFormat.CYCLONEDX_XML;
    if ((saysSpdx && !isSpdx) || (saysCdx && !isCdx) || (saysSyft && r.format() != SbomFormat.SYFT_JSON)) {
      final List<String> p = new ArrayList<>(r.problems());
      p.add("content is " + r.format() + " but the media type says " + mt);
      return new SbomReport(r.format(), r.specVersion(), p, r.packageCount(), r.licenseViolations(),
          r.packageViolations(), r.warnings());
    }
    return r;
  }

  private static String joinAnd(final List<String> lics) {
    if (lics.isEmpty()) {
      return null;
    }
    // Several licence entries on one component all apply: combine conservatively with AND.
    return lics.size() == 1 ? lics.get(0) : "(" + String.join(") AND (", lics) + ")";
  }

  private static boolean isNoAssertion(final String s) {
    return "NOASSERTION".equalsIgnoreCase(s) || "NONE".equalsIgnoreCase(s);
  }

  private static void require(final JsonNode n, final Acc acc, final String prefix, final String... fields) {
    for (String f : fields) {
      final JsonNode v = n.get(f);
      if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
        acc.problems.add(prefix + f + " is required");
      }
    }
  }

  private static String text(final JsonNode n, final String f) {
    final JsonNode v = n == null ? null : n.get(f);
    return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
  }

  /** Accumulates problems, packages and violations while walking one document. */
  private static final class Acc {
    final List<String> problems = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<SbomReport.Violation> licenseViolations = new ArrayList<>();
    final List<SbomReport.Violation> packageViolations = new ArrayList<>();
    int packages;

    void add(final SbomPackage p, final SbomPolicy policy) {
      packages++;
      for (SbomPolicy.PackageRule rule : policy.deniedPackages()) {
        if (rule.matches(p.name(), p.version())) {
          packageViolations.add(new SbomReport.Violation(p.name(), p.version(),
              "denied package " + rule.name() + (rule.version() != null ? "@" + rule.version() : " (any version)")));
        }
      }
      final String lic = p.license();
      if (lic == null || isNoAssertion(lic) || policy.deniedLicenses().isEmpty()) {
        return;
      }
      try {
        final LicenseExpression e = LicenseExpression.parse(lic);
        if (!e.acceptableWithout(policy.deniedLicenses())) {
          licenseViolations.add(new SbomReport.Violation(p.name(), p.version(),
              "licence '" + e.render() + "' cannot be met without a denied licence"));
        }
      } catch (IllegalArgumentException ex) {
        // Not an SPDX expression (free text such as "Apache License 2.0"): fall back to whole-word matching, so
        // a denied id in free text is still caught (Ratify's behaviour).
        warnings.add("package " + p.name() + ": " + ex.getMessage());
        for (String w : WORD.split(lic)) {
          if (policy.deniedLicenses().contains(w.toLowerCase(Locale.ROOT))) {
            licenseViolations.add(new SbomReport.Violation(p.name(), p.version(),
                "unparseable licence '" + lic + "' mentions denied licence " + w));
            break;
          }
        }
      }
    }

    SbomReport report(final SbomFormat f, final String version) {
      return new SbomReport(f, version, problems, packages, licenseViolations, packageViolations, warnings);
    }
  }
}
