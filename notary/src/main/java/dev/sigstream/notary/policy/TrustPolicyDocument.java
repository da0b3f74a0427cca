package dev.sigstream.notary.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notary.truststore.TrustStoreType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Notary Project trust policy document, version 1.0, validated exactly as the specification and notation-go do
 * (SPEC-NOTES section 8). Two kinds exist: OCI ({@code trustpolicy.oci.json} / legacy {@code trustpolicy.json}, with
 * {@code registryScopes}) and blob ({@code trustpolicy.blob.json}, with {@code globalPolicy}).
 *
 * <p>Parsing either returns a fully valid, immutable document or throws {@link TrustPolicyException} naming the
 * statement and the field. Unknown members are rejected (notation ignores them; a misspelt field in a security
 * policy should not silently weaken it). Instances are immutable and thread-safe.
 */
public final class TrustPolicyDocument {

  /** The wildcard registry scope and trusted identity. */
  public static final String WILDCARD = "*";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      // Trailing content after the document is an error, not silently ignored.
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  static {
    JSON.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build());
  }

  private static final Pattern STORE_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
  private static final String X509_SUBJECT = "x509.subject";

  /** Which document shape. */
  public enum Kind { OCI, BLOB }

  /** Where the specification and notation-go disagree about what a policy may say (SPEC-NOTES section 13). */
  public enum Compatibility {
    /** The specification (default): a {@code skip} statement may not use the global scope {@code *}. */
    SPEC,
    /** notation-go: accepts {@code skip} with {@code *} (its e2e suite relies on it). */
    NOTATION_GO
  }

  private final Kind kind;
  private final List<TrustPolicyStatement> statements;
  private final Map<String, TrustPolicyStatement> byScope;
  private final TrustPolicyStatement wildcard;

  private TrustPolicyDocument(final Kind kind, final List<TrustPolicyStatement> statements) {
    this.kind = kind;
    this.statements = List.copyOf(statements);
    final Map<String, TrustPolicyStatement> scopes = new HashMap<>();
    TrustPolicyStatement w = null;
    for (final TrustPolicyStatement s : statements) {
      for (final String scope : s.registryScopes()) {
        if (scope.equals(WILDCARD)) {
          w = s;
        } else {
          scopes.put(scope, s);
        }
      }
    }
    this.byScope = Map.copyOf(scopes);
    this.wildcard = w;
  }

  /** Parses an OCI trust policy document, following the specification where it and notation-go differ. */
  public static TrustPolicyDocument parse(final String json) {
    return parse(json, Kind.OCI, Compatibility.SPEC);
  }

  /** Parses a blob trust policy document ({@code trustpolicy.blob.json}). */
  public static TrustPolicyDocument parseBlob(final String json) {
    return parse(json, Kind.BLOB, Compatibility.SPEC);
  }

  /** Reads and parses an OCI trust policy document. */
  public static TrustPolicyDocument load(final Path path) throws IOException {
    return parse(Files.readString(path));
  }

  /** Reads and parses a blob trust policy document. */
  public static TrustPolicyDocument loadBlob(final Path path) throws IOException {
    return parseBlob(Files.readString(path));
  }

  /** Parses a document of the given kind under the given compatibility mode. */
  public static TrustPolicyDocument parse(final String json, final Kind kind, final Compatibility compatibility) {
    final JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (final IOException | RuntimeException e) {
      throw new TrustPolicyException(null, null, "malformed trust policy: " + e.getMessage(), e);
    }
    if (!(root instanceof ObjectNode)) {
      throw new TrustPolicyException(null, null, "malformed trust policy: the document is not a JSON object");
    }
    onlyFields(root, null, "", Set.of("version", "trustPolicies"));
    final JsonNode version = root.get("version");
    if (version == null || !version.isTextual() || !version.asText().equals("1.0")) {
      throw new TrustPolicyException(null, "version",
          "trust policy document uses unsupported version " + (version == null ? "\"\"" : version.toString())
              + ", supported version is \"1.0\"");
    }
    final JsonNode policies = root.get("trustPolicies");
    if (policies == null || !policies.isArray() || policies.isEmpty()) {
      throw new TrustPolicyException(null, "trustPolicies", "trust policy document can not have zero trust policy statements");
    }
    final List<TrustPolicyStatement> statements = new ArrayList<>();
    final Set<String> names = new LinkedHashSet<>();
    final Map<String, String> scopeOwner = new HashMap<>();
    String globalName = null;
    for (final JsonNode node : policies) {
      final TrustPolicyStatement s = statement(node, kind, compatibility);
      if (!names.add(s.name())) {
        throw new TrustPolicyException(s.name(), "name", "multiple " + kindName(kind)
            + " trust policy statements use the same name \"" + s.name() + "\", statement names must be unique");
      }
      for (final String scope : s.registryScopes()) {
        if (scopeOwner.putIfAbsent(scope, s.name()) != null) {
          throw new TrustPolicyException(s.name(), "registryScopes", "registry scope \"" + scope
              + "\" is present in multiple oci trust policy statements, one registry scope value can only be associated"
              + " with one statement");
        }
      }
      if (s.globalPolicy()) {
        if (globalName != null) {
          throw new TrustPolicyException(s.name(), "globalPolicy", "multiple blob trust policy statements have"
              + " globalPolicy set to true (\"" + globalName + "\" and \"" + s.name() + "\"), only one is allowed");
        }
        globalName = s.name();
      }
      statements.add(s);
    }
    return new TrustPolicyDocument(kind, statements);
  }

  private static String kindName(final Kind kind) {
    return kind == Kind.OCI ? "oci" : "blob";
  }

  private static TrustPolicyStatement statement(
      final JsonNode node, final Kind kind, final Compatibility compatibility) {
    if (!node.isObject()) {
      throw new TrustPolicyException(null, "trustPolicies", "a trust policy statement is not a JSON object");
    }
    final JsonNode nameNode = node.get("name");
    if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
      throw new TrustPolicyException(null, "name", "a trust policy statement is missing a name, every statement requires a name");
    }
    final String name = nameNode.asText();
    onlyFields(node, name, "", kind == Kind.OCI
        ? Set.of("name", "registryScopes", "signatureVerification", "trustStores", "trustedIdentities")
        : Set.of("name", "globalPolicy", "signatureVerification", "trustStores", "trustedIdentities"));

    final SignatureVerification sv = signatureVerification(name, node.get("signatureVerification"));
    final List<String> stores = strings(name, node, "trustStores");
    final List<String> identities = strings(name, node, "trustedIdentities");

    List<String> scopes = List.of();
    boolean global = false;
    if (kind == Kind.OCI) {
      scopes = strings(name, node, "registryScopes");
      validateScopes(name, scopes);
    } else {
      final JsonNode g = node.get("globalPolicy");
      if (g != null && !g.isBoolean()) {
        throw new TrustPolicyException(name, "globalPolicy", "trust policy statement \"" + name
            + "\" has a non-boolean globalPolicy");
      }
      global = g != null && g.asBoolean();
    }

    if (sv.level() == VerificationLevel.SKIP) {
      if (!stores.isEmpty() || !identities.isEmpty()) {
        throw new TrustPolicyException(name, stores.isEmpty() ? "trustedIdentities" : "trustStores",
            "trust policy statement \"" + name + "\" is set to skip signature verification but configured with"
                + " trust stores and/or trusted identities, remove them as they are not needed");
      }
      // Spec: a skip statement must not apply to everything. notation-go accepts it (SPEC-NOTES section 13 rows 14/15).
      if (compatibility == Compatibility.SPEC && scopes.contains(WILDCARD)) {
        throw new TrustPolicyException(name, "registryScopes", "trust policy statement \"" + name
            + "\" uses level skip with the wildcard registry scope '*', which the specification does not allow");
      }
      if (compatibility == Compatibility.SPEC && global) {
        throw new TrustPolicyException(name, "globalPolicy", "trust policy statement \"" + name
            + "\" is a global policy with level skip, which the specification does not allow");
      }
      return new TrustPolicyStatement(name, scopes, sv, List.of(), List.of(), false, List.of(), global);
    }
    if (stores.isEmpty() || identities.isEmpty()) {
      throw new TrustPolicyException(name, stores.isEmpty() ? "trustStores" : "trustedIdentities",
          "trust policy statement \"" + name + "\" is either missing trust stores or trusted identities, both must be"
              + " specified");
    }
    final List<TrustStoreRef> refs = trustStores(name, stores);
    final List<DistinguishedName> dns = new ArrayList<>();
    final boolean wildcardIdentity = identities(name, identities, dns);
    return new TrustPolicyStatement(name, scopes, sv, refs, identities, wildcardIdentity, dns, global);
  }

  private static SignatureVerification signatureVerification(final String name, final JsonNode sv) {
    if (sv == null || !sv.isObject()) {
      throw new TrustPolicyException(name, "signatureVerification",
          "trust policy statement \"" + name + "\" is missing signatureVerification");
    }
    onlyFields(sv, name, "signatureVerification.", Set.of("level", "override", "verifyTimestamp"));
    final JsonNode levelNode = sv.get("level");
    if (levelNode == null || !levelNode.isTextual() || levelNode.asText().isEmpty()) {
      throw new TrustPolicyException(name, "signatureVerification.level", "trust policy statement \"" + name
          + "\" has missing or empty signature verification level, it must be a non-empty string");
    }
    final VerificationLevel level = VerificationLevel.fromId(levelNode.asText()).orElseThrow(() ->
        new TrustPolicyException(name, "signatureVerification.level", "trust policy statement \"" + name
            + "\" uses invalid signatureVerification level \"" + levelNode.asText() + "\""));
    final Map<ValidationType, ValidationAction> overrides = new HashMap<>();
    final JsonNode override = sv.get("override");
    if (override != null) {
      if (!override.isObject()) {
        throw new TrustPolicyException(name, "signatureVerification.override",
            "trust policy statement \"" + name + "\" has a non-object override");
      }
      if (level == VerificationLevel.SKIP && !override.isEmpty()) {
        throw new TrustPolicyException(name, "signatureVerification.override", "trust policy statement \"" + name
            + "\" uses verification level \"skip\", which can't be used to customize signature verification");
      }
      final Iterator<Map.Entry<String, JsonNode>> it = override.fields();
      while (it.hasNext()) {
        final Map.Entry<String, JsonNode> e = it.next();
        final String field = "signatureVerification.override." + e.getKey();
        final ValidationType type = ValidationType.fromId(e.getKey()).orElseThrow(() ->
            new TrustPolicyException(name, field, "trust policy statement \"" + name + "\": verification type \""
                + e.getKey() + "\" in custom signature verification is not supported, supported values are"
                + " \"authenticity\", \"authenticTimestamp\", \"expiry\", \"revocation\""));
        if (type == ValidationType.INTEGRITY) {
          throw new TrustPolicyException(name, field, "trust policy statement \"" + name
              + "\": \"integrity\" verification can not be overridden in custom signature verification");
        }
        final String actionText = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
        final ValidationAction action = ValidationAction.fromId(actionText).orElseThrow(() ->
            new TrustPolicyException(name, field, "trust policy statement \"" + name + "\": verification action \""
                + actionText + "\" in custom signature verification is not supported, supported values are"
                + " \"enforce\", \"log\", \"skip\""));
        if (action == ValidationAction.SKIP && type != ValidationType.REVOCATION) {
          throw new TrustPolicyException(name, field, "trust policy statement \"" + name + "\": \"" + type.id()
              + "\" verification can not be skipped in custom signature verification");
        }
        overrides.put(type, action);
      }
    }
    VerifyTimestamp vt = VerifyTimestamp.ALWAYS;
    final JsonNode vtNode = sv.get("verifyTimestamp");
    if (vtNode != null) {
      final String v = vtNode.isTextual() ? vtNode.asText() : vtNode.toString();
      if (v.equals("afterCertExpiry")) {
        vt = VerifyTimestamp.AFTER_CERT_EXPIRY;
      } else if (!v.equals("always") && !v.isEmpty()) {
        throw new TrustPolicyException(name, "signatureVerification.verifyTimestamp", "trust policy statement \""
            + name + "\" has invalid verifyTimestamp \"" + v + "\", supported values are \"always\" and"
            + " \"afterCertExpiry\"");
      }
    }
    return new SignatureVerification(level, overrides, vt);
  }

  private static List<String> strings(final String name, final JsonNode node, final String field) {
    final JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new TrustPolicyException(name, field, "trust policy statement \"" + name + "\": " + field
          + " must be an array of strings");
    }
    final List<String> out = new ArrayList<>();
    for (final JsonNode e : v) {
      if (!e.isTextual()) {
        throw new TrustPolicyException(name, field, "trust policy statement \"" + name + "\": " + field
            + " must be an array of strings");
      }
      out.add(e.asText());
    }
    return out;
  }

  private static final Pattern HOST = Pattern.compile(
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?"
          + "|\\[[0-9a-fA-F:.]+\\](?::[0-9]+)?");
  private static final Pattern REPOSITORY = Pattern.compile(
      "[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*");

  /** Validates registry scopes as notation-go does (oras reference grammar, no tag or digest). */
  static void validateScopes(final String name, final List<String> scopes) {
    if (scopes.isEmpty()) {
      throw new TrustPolicyException(name, "registryScopes", "trust policy statement \"" + name
          + "\" has zero registry scopes, it must specify registry scopes with at least one value");
    }
    if (scopes.contains(WILDCARD) && scopes.size() > 1) {
      throw new TrustPolicyException(name, "registryScopes", "trust policy statement \"" + name
          + "\" uses wildcard registry scope '*', a wildcard scope cannot be used in conjunction with other scope"
          + " values");
    }
    final Set<String> seen = new LinkedHashSet<>();
    for (final String scope : scopes) {
      if (!scope.equals(WILDCARD)) {
        validateScope(name, scope);
      }
      if (!seen.add(scope)) {
        throw new TrustPolicyException(name, "registryScopes", "registry scope \"" + scope
            + "\" is present in multiple oci trust policy statements, one registry scope value can only be associated"
            + " with one statement");
      }
    }
  }

  /** True when {@code scope} is a valid registry scope value (wildcard or fully qualified repository). */
  public static boolean isValidScope(final String scope) {
    if (scope.equals(WILDCARD)) {
      return true;
    }
    try {
      validateScope("-", scope);
      return true;
    } catch (final TrustPolicyException e) {
      return false;
    }
  }

  private static void validateScope(final String name, final String scope) {
    if (scope.contains("*")) {
      throw new TrustPolicyException(name, "registryScopes", "registry scope \"" + scope + "\" with wildcard(s) is"
          + " not supported, the only supported wildcard is '*' on its own");
    }
    final int slash = scope.indexOf('/');
    final boolean ok = slash > 0
        && HOST.matcher(scope.substring(0, slash)).matches()
        && REPOSITORY.matcher(scope.substring(slash + 1)).matches();
    if (!ok) {
      throw new TrustPolicyException(name, "registryScopes", "registry scope \"" + scope + "\" is not valid, make"
          + " sure it is a fully qualified repository without the scheme, protocol or tag. For example"
          + " domain.com/my/repository or a local scope like local/myOCIlayout");
    }
  }

  private static List<TrustStoreRef> trustStores(final String name, final List<String> stores) {
    final Set<TrustStoreRef> out = new LinkedHashSet<>();
    for (final String s : stores) {
      final int i = s.indexOf(':');
      if (i < 0) {
        throw new TrustPolicyException(name, "trustStores", "trust policy statement \"" + name
            + "\" has malformed trust store value \"" + s + "\". The required format is <TrustStoreType>:<TrustStoreName>");
      }
      final String typeId = s.substring(0, i);
      final String storeName = s.substring(i + 1);
      final TrustStoreType type = TrustStoreType.fromId(typeId).orElseThrow(() ->
          new TrustPolicyException(name, "trustStores", "trust policy statement \"" + name
              + "\" uses an unsupported trust store type \"" + typeId + "\" in trust store value \"" + s + "\""));
      if (!STORE_NAME.matcher(storeName).matches()) {
        throw new TrustPolicyException(name, "trustStores", "trust policy statement \"" + name
            + "\" uses an unsupported trust store name \"" + storeName + "\" in trust store value \"" + s
            + "\". Named store name needs to follow [a-zA-Z0-9_.-]+ format");
      }
      out.add(new TrustStoreRef(type, storeName)); // duplicates are deduplicated, as notation does
    }
    return List.copyOf(out);
  }

  /** Validates identities; fills {@code dns}; returns true for the lone wildcard. */
  private static boolean identities(final String name, final List<String> identities, final List<DistinguishedName> dns) {
    if (identities.contains(WILDCARD)) {
      if (identities.size() > 1) {
        throw new TrustPolicyException(name, "trustedIdentities", "trust policy statement \"" + name
            + "\" uses a wildcard trusted identity '*', a wildcard identity cannot be used in conjunction with other"
            + " values");
      }
      return true;
    }
    for (final String identity : identities) {
      if (identity.isEmpty()) {
        throw new TrustPolicyException(name, "trustedIdentities", "trust policy statement \"" + name
            + "\" has an empty trusted identity");
      }
      final int i = identity.indexOf(':');
      if (i < 0) {
        throw new TrustPolicyException(name, "trustedIdentities", "trust policy statement \"" + name
            + "\" has trusted identity \"" + identity + "\" missing separator");
      }
      final String prefix = identity.substring(0, i);
      final String value = identity.substring(i + 1).trim();
      if (prefix.equals(X509_SUBJECT)) {
        if (value.isEmpty()) {
          throw new TrustPolicyException(name, "trustedIdentities", "trust policy statement \"" + name
              + "\" has trusted identity \"" + identity + "\" without an identity value");
        }
        try {
          dns.add(DistinguishedName.parse(value));
        } catch (final IllegalArgumentException e) {
          throw new TrustPolicyException(name, "trustedIdentities", "trust policy statement \"" + name
              + "\" has trusted identity \"" + identity + "\": " + e.getMessage(), e);
        }
      }
      // Other prefixes are ignored, as the specification reserves them for plugins.
    }
    for (int a = 0; a < dns.size(); a++) {
      for (int b = a + 1; b < dns.size(); b++) {
        if (dns.get(a).isSubsetOf(dns.get(b)) || dns.get(b).isSubsetOf(dns.get(a))) {
          throw new TrustPolicyException(name, "trustedIdentities", "trust policy statement \"" + name
              + "\" has overlapping x509 trustedIdentities, \"" + dns.get(a) + "\" overlaps with \"" + dns.get(b)
              + "\"");
        }
      }
    }
    return false;
  }

  private static void onlyFields(final JsonNode node, final String statement, final String prefix, final Set<String> allowed) {
    final Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      final String f = it.next();
      if (!allowed.contains(f)) {
        throw new TrustPolicyException(statement, prefix + f, (statement == null ? "trust policy document"
            : "trust policy statement \"" + statement + "\"") + " has unknown field \"" + prefix + f + "\"");
      }
    }
  }

  public Kind kind() {
    return kind;
  }

  public List<TrustPolicyStatement> statements() {
    return statements;
  }

  /**
   * Selects the OCI statement for {@code reference} ({@code registry/repository@digest}): exact scope match, else
   * the {@code *} statement, else empty.
   *
   * @throws IllegalArgumentException when the reference has no {@code @digest} part or is not a valid reference
   */
  public Optional<TrustPolicyStatement> select(final String reference) {
    if (kind != Kind.OCI) {
      throw new IllegalStateException("select(reference) needs an OCI trust policy document");
    }
    final String repository = repositoryOf(reference);
    final TrustPolicyStatement exact = byScope.get(repository);
    return Optional.ofNullable(exact != null ? exact : wildcard);
  }

  /** Blob documents: the named statement, or the global one when {@code name} is null. */
  public Optional<TrustPolicyStatement> selectBlob(final String name) {
    if (kind != Kind.BLOB) {
      throw new IllegalStateException("selectBlob(name) needs a blob trust policy document");
    }
    for (final TrustPolicyStatement s : statements) {
      if (name == null ? s.globalPolicy() : s.name().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** {@code registry/repository} of a {@code registry/repository[:tag]@digest} reference. */
  static String repositoryOf(final String reference) {
    final int at = reference.indexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException("reference \"" + reference + "\" has no digest; verification needs"
          + " registry/repository@digest");
    }
    String repo = reference.substring(0, at);
    final int slash = repo.indexOf('/');
    final int colon = repo.lastIndexOf(':');
    if (colon > repo.lastIndexOf('/') && slash >= 0 && colon > slash) {
      repo = repo.substring(0, colon); // drop a tag next to the digest
    }
    if (slash <= 0 || !HOST.matcher(repo.substring(0, slash)).matches()
        || !REPOSITORY.matcher(repo.substring(slash + 1)).matches()) {
      throw new IllegalArgumentException("reference \"" + reference + "\" is not a valid registry/repository@digest");
    }
    return repo;
  }
}
