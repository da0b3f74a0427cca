package dev.sigstream.notary.truststore;

import dev.sigstream.notary.cert.Certificates;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Named trust stores of X.509 certificates, loaded once from Notation's layout
 * {@code {config}/truststore/x509/{ca|signingAuthority|tsa}/{name}/*} (SPEC-NOTES section 7).
 *
 * <p>Every named store is read eagerly. A store that breaks a rule (symlink, sub-directory, unparseable file,
 * a certificate its type may not hold, no certificate at all) is not thrown at load time: it is recorded as
 * {@link Entry.Invalid}, and a policy that references it gets an inconclusive authenticity result, as notation
 * reports it when the store is used. Rules: symlinks are rejected for directories and files; {@code ca} and
 * {@code signingAuthority} stores hold CA certificates or self-signed non-CA certificates; {@code tsa} stores hold
 * self-signed roots only. Immutable and thread-safe.
 */
public final class TrustStore {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

  /** A named store: loaded certificates, or why it cannot be used. */
  public sealed interface Entry permits Entry.Loaded, Entry.Invalid {
    /** @param certificates at least one, in file-name order */
    record Loaded(List<X509Certificate> certificates) implements Entry {
      public Loaded {
        certificates = List.copyOf(certificates);
      }
    }

    /** @param reason human sentence */
    record Invalid(String reason) implements Entry {}
  }

  private final Map<TrustStoreType, Map<String, Entry>> stores;

  private TrustStore(final Map<TrustStoreType, Map<String, Entry>> stores) {
    final EnumMap<TrustStoreType, Map<String, Entry>> copy = new EnumMap<>(TrustStoreType.class);
    stores.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    this.stores = Collections.unmodifiableMap(copy);
  }

  /** An empty trust store. */
  public static TrustStore empty() {
    return new TrustStore(Map.of());
  }

  /**
   * Builds a trust store from certificates already in memory, applying the same content rules as {@link #load}.
   */
  public static TrustStore of(final Map<TrustStoreType, Map<String, List<X509Certificate>>> certificates) {
    final Map<TrustStoreType, Map<String, Entry>> out = new EnumMap<>(TrustStoreType.class);
    certificates.forEach((type, named) -> {
      final Map<String, Entry> m = new HashMap<>();
      named.forEach((name, certs) -> m.put(name, validate(type, name, certs)));
      out.put(type, m);
    });
    return new TrustStore(out);
  }

  /**
   * Loads every named store under {@code notationConfigDir/truststore/x509}. A missing {@code truststore}
   * directory yields an empty store.
   *
   * @throws IOException when a directory cannot be listed, or when the {@code truststore} tree itself contains a
   *     symlink above the named stores
   */
  public static TrustStore load(final Path notationConfigDir) throws IOException {
    final Path x509 = notationConfigDir.resolve("truststore").resolve("x509");
    final Map<TrustStoreType, Map<String, Entry>> out = new EnumMap<>(TrustStoreType.class);
    for (final Path p : new Path[] {notationConfigDir.resolve("truststore"), x509}) {
      if (Files.isSymbolicLink(p)) {
        throw new IOException("trust store directory " + p + " is a symlink; symlinks are not supported");
      }
    }
    if (!Files.isDirectory(x509, LinkOption.NOFOLLOW_LINKS)) {
      return new TrustStore(out);
    }
    for (final TrustStoreType type : TrustStoreType.values()) {
      final Path typeDir = x509.resolve(type.id());
      if (Files.isSymbolicLink(typeDir)) {
        throw new IOException("trust store directory " + typeDir + " is a symlink; symlinks are not supported");
      }
      if (!Files.isDirectory(typeDir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      final Map<String, Entry> named = new HashMap<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(typeDir)) {
        for (final Path storeDir : ds) {
          final String name = storeDir.getFileName().toString();
          if (!NAME.matcher(name).matches()) {
            continue; // a policy cannot name it, so it can never confer trust
          }
          named.put(name, loadNamed(type, name, storeDir));
        }
      }
      out.put(type, named);
    }
    return new TrustStore(out);
  }

  private static Entry loadNamed(final TrustStoreType type, final String name, final Path dir) {
    if (Files.isSymbolicLink(dir)) {
      return new Entry.Invalid("trust store " + type.id() + ":" + name + " is a symlink; symlinks are not supported");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return new Entry.Invalid("trust store " + type.id() + ":" + name + " is not a directory");
    }
    final List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (final Path f : ds) {
        files.add(f);
      }
    } catch (final IOException e) {
      return new Entry.Invalid("trust store " + type.id() + ":" + name + " cannot be read: " + e.getMessage());
    }
    Collections.sort(files);
    final List<X509Certificate> certs = new ArrayList<>();
    for (final Path f : files) {
      // notation-go: directories or symlinks inside a named store are an error (SPEC says ignore sub-directories
      // with a warning; we follow notation-go and fail closed, docs/notary-conformance.md row 13).
      if (Files.isSymbolicLink(f) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        return new Entry.Invalid("trust store " + type.id() + ":" + name + " contains \"" + f.getFileName()
            + "\": directories or symlinks are not supported");
      }
      try {
        final List<X509Certificate> parsed = Certificates.parsePemOrDer(Files.readAllBytes(f));
        if (parsed.isEmpty()) {
          return new Entry.Invalid("trust store " + type.id() + ":" + name + " file \"" + f.getFileName()
              + "\" holds no x509 certificate");
        }
        certs.addAll(parsed);
      } catch (final IOException | CertificateException e) {
        return new Entry.Invalid("trust store " + type.id() + ":" + name + " file \"" + f.getFileName()
            + "\" is not a valid PEM or DER certificate file: " + e.getMessage());
      }
    }
    return validate(type, name, certs);
  }

  private static Entry validate(final TrustStoreType type, final String name, final List<X509Certificate> certs) {
    if (certs.isEmpty()) {
      return new Entry.Invalid("no x509 certificates were found in trust store \"" + name + "\" of type \""
          + type.id() + "\"");
    }
    for (final X509Certificate c : certs) {
      // The self-signature is checked only where the answer decides (a signature check per root is the costliest
      // part of loading a store, and a CA certificate of a ca or signingAuthority store is accepted either way).
      final boolean ca = Certificates.isCa(c);
      if (type == TrustStoreType.TSA) {
        if (!Certificates.isSelfSigned(c)) {
          return new Entry.Invalid("trust store " + type.id() + ":" + name + " holds certificate \""
              + c.getSubjectX500Principal().getName() + "\" which is not a self-signed root; tsa stores hold roots only");
        }
      } else if (!ca && !Certificates.isSelfSigned(c)) {
        return new Entry.Invalid("trust store " + type.id() + ":" + name + " holds certificate \""
            + c.getSubjectX500Principal().getName() + "\" which is neither a CA nor self-signed");
      }
    }
    return new Entry.Loaded(certs);
  }

  /** The store of that type and name, if one exists. */
  public Optional<Entry> get(final TrustStoreType type, final String name) {
    final Map<String, Entry> m = stores.get(type);
    return Optional.ofNullable(m == null ? null : m.get(name));
  }

  /** Store names per type, for diagnostics. */
  public Map<TrustStoreType, List<String>> names() {
    final Map<TrustStoreType, List<String>> out = new EnumMap<>(TrustStoreType.class);
    stores.forEach((k, v) -> out.put(k, List.copyOf(v.keySet())));
    return Collections.unmodifiableMap(out);
  }

  /** DER bytes of a certificate, for byte-exact comparison. */
  static byte[] der(final X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (final CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
