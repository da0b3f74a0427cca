package dev.sigstream.signing.azure;

import com.azure.security.keyvault.certificates.CertificateAsyncClient;
import com.azure.security.keyvault.certificates.CertificateClientBuilder;
import com.azure.security.keyvault.certificates.models.KeyVaultCertificate;
import com.azure.security.keyvault.keys.cryptography.CryptographyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.SignResult;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import dev.sigstream.notary.cert.Certificates;
import dev.sigstream.notary.envelope.SignatureAlgorithm;
import dev.sigstream.notary.sign.DigestSigningKey;
import dev.sigstream.notary.sign.SigningKeyException;
import dev.sigstream.notary.sign.SigningKeyException.Reason;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Key Vault (or Managed HSM) key through the Azure SDK's {@link CryptographyAsyncClient}: only the digest goes to
 * the vault ({@code POST {vault}/keys/{name}/{version}/sign} with {@code alg} PS256/384/512 or ES256/384/512), the
 * private key never leaves it. The certificate chain comes from the Key Vault certificate of the same name and
 * version ({@code azure-security-keyvault-certificates}; Key Vault stores the leaf only), completed or replaced by a
 * PEM file: a self-signed leaf needs no file, a CA-issued one needs its issuing chain. Before anything is signed the
 * key's type, size and permitted operations are checked, and that the leaf certificate holds this key.
 */
public final class KeyVaultSigningKey extends DigestSigningKey {

  static final String ROLE = "Key Vault Crypto User";

  private final CryptographyAsyncClient crypto;
  private final String keyId;
  private final AzureConnection connection;

  private KeyVaultSigningKey(final List<X509Certificate> chain, final CryptographyAsyncClient crypto,
      final String keyId, final AzureConnection connection) {
    super(chain);
    this.crypto = crypto;
    this.keyId = keyId;
    this.connection = connection;
  }

  /**
   * Opens the key {@code keyId} ({@code https://{vault}/keys/{name}[/{version}]}) and resolves its chain.
   *
   * @param chainFile PEM chain: the whole chain leaf first, or the issuers of the vault's leaf; null when the vault's
   *     certificate is self-signed
   * @throws SigningKeyException what to fix: unknown key, permission, unsupported key type, missing chain
   */
  public static KeyVaultSigningKey open(final String keyId, final Path chainFile, final AzureConnection connection)
      throws SigningKeyException {
    final KeyId id = KeyId.parse(keyId);
    final String what = "Key Vault key " + id;
    final CryptographyClientBuilder builder = new CryptographyClientBuilder()
        .keyIdentifier(id.toString())
        .credential(connection.credential())
        .httpClient(connection.httpClient())
        .retryOptions(connection.retryOptions());
    if (!connection.verifyChallengeResource()) {
      builder.disableChallengeResourceVerification();
    }
    final CryptographyAsyncClient crypto = builder.buildAsyncClient();
    final KeyVaultKey key;
    try {
      key = crypto.getKey().block(connection.operationTimeout());
    } catch (final RuntimeException e) {
      throw AzureFailures.map(e, what, ROLE, connection);
    }
    if (key == null || key.getKey() == null) {
      throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": the vault returned no key");
    }
    final PublicKey publicKey = publicKey(key.getKey(), what);
    if (SignatureAlgorithm.forKey(publicKey).isEmpty()) {
      throw new SigningKeyException(Reason.KEY_UNSUPPORTED, what + " is " + describe(key.getKey())
          + "; the Notary Project signs with RSA 2048/3072/4096 or EC P-256/P-384/P-521 keys");
    }
    final List<KeyOperation> ops = key.getKey().getKeyOps();
    if (ops != null && !ops.isEmpty() && !ops.contains(KeyOperation.SIGN)) {
      throw new SigningKeyException(Reason.KEY_UNSUPPORTED, what + " does not permit the sign operation");
    }
    if (key.getProperties() != null && Boolean.FALSE.equals(key.getProperties().isEnabled())) {
      throw new SigningKeyException(Reason.CONFIGURATION, what + " is disabled");
    }
    final List<X509Certificate> chain = chain(id, publicKey, chainFile, connection);
    return new KeyVaultSigningKey(chain, crypto, id.toString(), connection);
  }

  @Override
  protected byte[] signDigest(final byte[] digest, final SignatureAlgorithm algorithm) throws IOException {
    final SignResult r;
    try {
      r = crypto.sign(com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm.fromString(
          algorithm.jwsName()), digest).block(connection.operationTimeout());
    } catch (final RuntimeException e) {
      throw AzureFailures.map(e, "signing with Key Vault key " + keyId, ROLE, connection);
    }
    return r == null ? null : r.getSignature();
  }

  private static List<X509Certificate> chain(final KeyId id, final PublicKey key, final Path chainFile,
      final AzureConnection connection) throws SigningKeyException {
    final List<X509Certificate> fromFile = new ArrayList<>();
    if (chainFile != null) {
      try {
        fromFile.addAll(Certificates.parsePemOrDer(Files.readAllBytes(chainFile)));
      } catch (final IOException | GeneralSecurityException e) {
        throw new SigningKeyException(Reason.CONFIGURATION, "cannot read certificate chain " + chainFile + ": "
            + e.getMessage(), e);
      }
      if (!fromFile.isEmpty() && Arrays.equals(fromFile.get(0).getPublicKey().getEncoded(), key.getEncoded())) {
        return fromFile;
      }
      if (!fromFile.isEmpty() && !Certificates.isCa(fromFile.get(0))) {
        throw new SigningKeyException(Reason.CONFIGURATION, "the leaf certificate in " + chainFile
            + " does not hold the public key of " + id);
      }
    }
    final String what = "Key Vault certificate " + id.certificateId();
    final CertificateClientBuilder builder = new CertificateClientBuilder()
        .vaultUrl(id.vault().toString())
        .credential(connection.credential())
        .httpClient(connection.httpClient())
        .retryOptions(connection.retryOptions());
    if (!connection.verifyChallengeResource()) {
      builder.disableChallengeResourceVerification();
    }
    final CertificateAsyncClient certs = builder.buildAsyncClient();
    final KeyVaultCertificate cert;
    try {
      cert = (id.version() == null ? certs.getCertificate(id.name()).map(c -> (KeyVaultCertificate) c)
          : certs.getCertificateVersion(id.name(), id.version())).block(connection.operationTimeout());
    } catch (final RuntimeException e) {
      final SigningKeyException m = AzureFailures.map(e, what, "Key Vault Certificate User", connection);
      if (m.reason() == Reason.NOT_FOUND) {
        throw new SigningKeyException(Reason.CONFIGURATION, "the key " + id + " has no Key Vault certificate"
            + " (import one with the key, or give the whole chain, leaf first, with --cert-chain)", e);
      }
      throw m;
    }
    final X509Certificate leaf;
    try {
      leaf = Certificates.parseDer(cert == null ? new byte[0] : cert.getCer());
    } catch (final GeneralSecurityException | RuntimeException e) {
      throw new SigningKeyException(Reason.SERVICE_ERROR, what + ": unreadable certificate", e);
    }
    if (!Arrays.equals(leaf.getPublicKey().getEncoded(), key.getEncoded())) {
      throw new SigningKeyException(Reason.CONFIGURATION, what + " does not hold the public key of " + id);
    }
    final List<X509Certificate> chain = new ArrayList<>();
    chain.add(leaf);
    if (!fromFile.isEmpty() && fromFile.get(0).equals(leaf)) {
      fromFile.remove(0);
    }
    chain.addAll(fromFile);
    if (fromFile.isEmpty() && !Certificates.isSelfSigned(leaf)) {
      throw new SigningKeyException(Reason.CONFIGURATION, "the Key Vault holds only the leaf certificate of " + id
          + ", issued by " + leaf.getIssuerX500Principal().getName() + "; give the issuing chain (intermediates and"
          + " root, PEM) with --cert-chain");
    }
    return chain;
  }

  private static PublicKey publicKey(final JsonWebKey jwk, final String what) throws SigningKeyException {
    try {
      final KeyType t = jwk.getKeyType();
      if (KeyType.RSA.equals(t) || KeyType.RSA_HSM.equals(t)) {
        return jwk.toRsa(false).getPublic();
      }
      if (KeyType.EC.equals(t) || KeyType.EC_HSM.equals(t)) {
        return jwk.toEc(false).getPublic();
      }
    } catch (final RuntimeException e) {
      throw new SigningKeyException(Reason.KEY_UNSUPPORTED, what + ": cannot read its public key ("
          + describe(jwk) + ")", e);
    }
    throw new SigningKeyException(Reason.KEY_UNSUPPORTED, what + " is " + describe(jwk)
        + "; the Notary Project signs with RSA or EC keys");
  }

  private static String describe(final JsonWebKey jwk) {
    final String type = jwk.getKeyType() == null ? "of unknown type" : jwk.getKeyType().toString();
    if (jwk.getN() != null) {
      return type + " " + (new java.math.BigInteger(1, jwk.getN()).bitLength()) + "-bit";
    }
    return type + (jwk.getCurveName() == null ? "" : " " + jwk.getCurveName().toString().toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "Key Vault key " + keyId;
  }

  /** {@code https://{vault}/keys/{name}[/{version}]}, checked. */
  record KeyId(URI vault, String name, String version) {

    static KeyId parse(final String s) throws SigningKeyException {
      final URI u;
      try {
        u = URI.create(s.trim());
      } catch (final IllegalArgumentException e) {
        throw bad(s);
      }
      if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null || u.getRawQuery() != null
          || u.getRawFragment() != null || u.getRawPath() == null) {
        throw bad(s);
      }
      final String[] parts = u.getRawPath().replaceAll("/+$", "").split("/");
      // "", "keys", name[, version]
      if (parts.length < 3 || parts.length > 4 || !parts[0].isEmpty() || !parts[1].equals("keys")
          || !parts[2].matches("[0-9A-Za-z-]{1,127}") || parts.length == 4 && !parts[3].matches("[0-9A-Za-z]{1,64}")) {
        throw bad(s);
      }
      final URI vault = URI.create("https://" + u.getRawAuthority());
      return new KeyId(vault, parts[2], parts.length == 4 ? parts[3] : null);
    }

    private static SigningKeyException bad(final String s) {
      return new SigningKeyException(Reason.CONFIGURATION, "not a Key Vault key id: '"
          + AzureFailures.oneLine(s, 200) + "' (expected https://{vault}.vault.azure.net/keys/{name}[/{version}])");
    }

    String certificateId() {
      return vault + "/certificates/" + name + (version == null ? "" : "/" + version);
    }

    @Override
    public String toString() {
      return vault + "/keys/" + name + (version == null ? "" : "/" + version);
    }
  }
}
