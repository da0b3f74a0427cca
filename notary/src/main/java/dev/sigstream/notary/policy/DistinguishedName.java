package dev.sigstream.notary.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An X.500 distinguished name reduced to notation's model: single-valued RDNs, one value per attribute type,
 * {@code S} normalised to {@code ST}, and C, ST and O mandatory. Used both for {@code x509.subject:} identities and
 * for the leaf certificate's subject; matching is a subset test (order irrelevant), SPEC-NOTES section 8.2.
 *
 * <p>Parsing follows RFC 4514 string syntax: {@code \}-escapes of special characters and two-digit hex escapes,
 * leading/trailing unescaped spaces of types and values trimmed. Values in {@code #hex} form are rejected outright,
 * as notation does, because they cannot be compared as strings.
 */
public final class DistinguishedName {

  private final Map<String, String> attributes;

  private DistinguishedName(final Map<String, String> attributes) {
    this.attributes = Collections.unmodifiableMap(attributes);
  }

  /** Attribute type (upper case, S mapped to ST) to value. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** True when every attribute of this name is present with an identical value in {@code other}. */
  public boolean isSubsetOf(final DistinguishedName other) {
    for (final Map.Entry<String, String> e : attributes.entrySet()) {
      if (!e.getValue().equals(other.attributes.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses an RFC 4514 DN with notation's restrictions.
   *
   * @throws IllegalArgumentException with a message naming the offending part
   */
  public static DistinguishedName parse(final String dn) {
    if (dn.contains("=#")) {
      throw new IllegalArgumentException("unsupported distinguished name (DN) \"" + dn
          + "\", x509.subject identities containing \"=#\" are not supported");
    }
    final Map<String, String> attrs = new LinkedHashMap<>();
    final int n = dn.length();
    int i = 0;
    if (dn.isBlank()) {
      throw new IllegalArgumentException("parsing distinguished name (DN) \"" + dn + "\" failed: empty");
    }
    while (i <= n) {
      // type
      final int eq = indexOfUnescaped(dn, '=', i);
      final int sepCheck = indexOfAnyUnescaped(dn, i);
      if (eq < 0 || (sepCheck >= 0 && sepCheck < eq)) {
        throw new IllegalArgumentException(
            "parsing distinguished name (DN) \"" + dn + "\" failed: incomplete type, value pair");
      }
      String type = dn.substring(i, eq).trim();
      if (type.isEmpty() || !type.matches("[A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)*")) {
        throw new IllegalArgumentException(
            "parsing distinguished name (DN) \"" + dn + "\" failed: invalid attribute type \"" + type + "\"");
      }
      type = type.toUpperCase(Locale.ROOT);
      if (type.equals("S")) {
        type = "ST";
      }
      // value
      final StringBuilder value = new StringBuilder();
      int j = eq + 1;
      int lastNonSpace = -1; // index in value after the last char that must be kept (escaped or non-space)
      boolean leading = true;
      char terminator = 0;
      for (; j < n; j++) {
        final char c = dn.charAt(j);
        if (c == '\\') {
          if (j + 1 >= n) {
            throw new IllegalArgumentException("parsing distinguished name (DN) \"" + dn + "\" failed: dangling escape");
          }
          final char d = dn.charAt(j + 1);
          if (isHex(d) && j + 2 < n && isHex(dn.charAt(j + 2))) {
            // A hex pair encodes one UTF-8 byte; collect consecutive pairs.
            final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            while (j + 2 < n && dn.charAt(j) == '\\' && isHex(dn.charAt(j + 1)) && isHex(dn.charAt(j + 2))) {
              bytes.write(Integer.parseInt(dn.substring(j + 1, j + 3), 16));
              j += 3;
            }
            j--;
            value.append(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
          } else if ("\\\"+,;<>= #".indexOf(d) >= 0) {
            value.append(d);
            j++;
          } else {
            throw new IllegalArgumentException(
                "parsing distinguished name (DN) \"" + dn + "\" failed: invalid escape \\" + d);
          }
          leading = false;
          lastNonSpace = value.length();
          continue;
        }
        if (c == ',' || c == ';' || c == '+') {
          terminator = c;
          break;
        }
        if (c == ' ' && leading) {
          continue;
        }
        leading = false;
        value.append(c);
        if (c != ' ') {
          lastNonSpace = value.length();
        }
      }
      final String v = value.substring(0, Math.max(lastNonSpace, 0));
      if (terminator == '+') {
        throw new IllegalArgumentException("distinguished name (DN) \"" + dn
            + "\" has multi-valued RDN attributes, which are not supported");
      }
      if (v.isEmpty()) {
        throw new IllegalArgumentException(
            "parsing distinguished name (DN) \"" + dn + "\" failed: empty value for \"" + type + "\"");
      }
      if (attrs.containsKey(type)) {
        throw new IllegalArgumentException(
            "distinguished name (DN) \"" + dn + "\" has duplicate RDN attribute for \"" + type + "\"");
      }
      attrs.put(type, v);
      if (j >= n) {
        break;
      }
      i = j + 1;
      if (i >= n) {
        throw new IllegalArgumentException(
            "parsing distinguished name (DN) \"" + dn + "\" failed: incomplete type, value pair");
      }
    }
    for (final String mandatory : new String[] {"C", "ST", "O"}) {
      if (!attrs.containsKey(mandatory)) {
        throw new IllegalArgumentException(
            "distinguished name (DN) \"" + dn + "\" has no mandatory RDN attribute for \"" + mandatory + "\"");
      }
    }
    return new DistinguishedName(new LinkedHashMap<>(attrs));
  }

  /**
   * The subject of a certificate as notation-go sees it ({@code pkix.Name.String()} parsed back): the attribute
   * types CN, SERIALNUMBER, C, L, ST, STREET, O, OU and POSTALCODE become strings; surname is dropped (Go has no
   * field for it); any other attribute (emailAddress, UID, DC...) would render as {@code OID=#hex}, which notation
   * rejects, so the subject is rejected. Multi-valued RDNs are flattened, as Go does; a repeated type is rejected.
   *
   * @throws IllegalArgumentException when the subject cannot be matched against identities
   */
  public static DistinguishedName fromCertificateSubject(final javax.security.auth.x500.X500Principal subject) {
    final org.bouncycastle.asn1.x500.X500Name name = org.bouncycastle.asn1.x500.X500Name.getInstance(subject.getEncoded());
    final Map<String, String> attrs = new LinkedHashMap<>();
    for (final org.bouncycastle.asn1.x500.RDN rdn : name.getRDNs()) {
      for (final org.bouncycastle.asn1.x500.AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        final String oid = atv.getType().getId();
        final String type = GO_KEYWORDS.get(oid);
        if (oid.equals("2.5.4.4")) {
          continue;
        }
        if (type == null) {
          throw new IllegalArgumentException("certificate subject \"" + subject.getName()
              + "\" contains attribute " + oid + ", which notation renders as \"=#\" and cannot match");
        }
        if (!(atv.getValue() instanceof org.bouncycastle.asn1.ASN1String str)) {
          throw new IllegalArgumentException("certificate subject attribute " + type + " is not a string");
        }
        if (str.getString().contains("=#")) {
          throw new IllegalArgumentException("certificate subject \"" + subject.getName()
              + "\" contains \"=#\", which notation does not support");
        }
        if (attrs.putIfAbsent(type, str.getString()) != null) {
          throw new IllegalArgumentException("certificate subject \"" + subject.getName()
              + "\" has duplicate RDN attribute for \"" + type + "\"");
        }
      }
    }
    for (final String mandatory : new String[] {"C", "ST", "O"}) {
      if (!attrs.containsKey(mandatory)) {
        throw new IllegalArgumentException("certificate subject \"" + subject.getName()
            + "\" has no mandatory RDN attribute for \"" + mandatory + "\"");
      }
    }
    return new DistinguishedName(attrs);
  }

  private static final Map<String, String> GO_KEYWORDS = Map.of(
      "2.5.4.3", "CN", "2.5.4.5", "SERIALNUMBER", "2.5.4.6", "C", "2.5.4.7", "L", "2.5.4.8", "ST",
      "2.5.4.9", "STREET", "2.5.4.10", "O", "2.5.4.11", "OU", "2.5.4.17", "POSTALCODE");

  private static boolean isHex(final char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int indexOfUnescaped(final String s, final char target, final int from) {
    for (int k = from; k < s.length(); k++) {
      final char c = s.charAt(k);
      if (c == '\\') {
        k++;
      } else if (c == target) {
        return k;
      }
    }
    return -1;
  }

  private static int indexOfAnyUnescaped(final String s, final int from) {
    for (int k = from; k < s.length(); k++) {
      final char c = s.charAt(k);
      if (c == '\\') {
        k++;
      } else if (c == ',' || c == ';' || c == '+') {
        return k;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof DistinguishedName d && d.attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return attributes.hashCode();
  }

  @Override
  public String toString() {
    final StringBuilder sb = new StringBuilder();
    attributes.forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(k).append('=').append(v.replace("\\", "\\\\").replace(",", "\\,").replace("+", "\\+")
          .replace(";", "\\;").replace("\"", "\\\""));
    });
    return sb.toString();
  }
}
