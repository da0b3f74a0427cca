package dev.sigstream.notary.sign;

import dev.sigstream.notary.cert.Certificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Keys in an HSM or token through the JDK's SunPKCS11 provider (any PKCS#11 module: a network HSM, a smart card,
 * SoftHSM). The private key never leaves the token: the returned {@link LocalSigningKey} holds a handle and signs
 * through the provider. The certificate chain comes from the token (stored with the key) or from a PEM file.
 */
public final class Pkcs11SigningKeys {

  private Pkcs11SigningKeys() {}

  /**
   * A SunPKCS11 configuration for {@code library} and {@code slot} (the slot id the module reports; null takes the
   * first slot with a token).
   */
  public static String config(final Path library, final Long slot) {
    return "name = sigstream\nlibrary = " + library.toAbsolutePath() + "\n"
        + (slot == null ? "slotListIndex = 0\n" : "slot = " + slot + "\n");
  }

  /**
   * Opens the key {@code alias} (or the only key) in the token that {@code sunPkcs11Config} (the text of a SunPKCS11
   * configuration file) names, logging in with {@code pin}.
   *
   * @param chainFile PEM chain, leaf first; null to read the chain stored with the key in the token
   * @throws SigningKeyException with {@link SigningKeyException.Reason#CONFIGURATION} or
   *     {@link SigningKeyException.Reason#PERMISSION_DENIED} (wrong PIN, locked token) and a message saying what
   */
  public static LocalSigningKey open(final String sunPkcs11Config, final String alias, final char[] pin,
      final Path chainFile) throws SigningKeyException {
    final Provider provider;
    try {
      final Provider base = Security.getProvider("SunPKCS11");
      if (base == null) {
        throw new SigningKeyException(SigningKeyException.Reason.CONFIGURATION,
            "this Java runtime has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
      }
      // configure() takes a file name, or the configuration itself after "--".
      provider = base.configure("--" + sunPkcs11Config);
    } catch (final RuntimeException e) {
      throw new SigningKeyException(SigningKeyException.Reason.CONFIGURATION,
          "cannot load the PKCS#11 module: " + rootMessage(e), e);
    }
    final KeyStore ks;
    try {
      ks = KeyStore.getInstance("PKCS11", provider);
      ks.load(null, pin);
    } catch (final IOException | GeneralSecurityException e) {
      final String m = rootMessage(e);
      final boolean pinProblem = m.toUpperCase(Locale.ROOT).contains("PIN");
      throw new SigningKeyException(pinProblem ? SigningKeyException.Reason.PERMISSION_DENIED
          : SigningKeyException.Reason.CONFIGURATION, "cannot log in to the PKCS#11 token: " + m, e);
    }
    try {
      String chosen = alias;
      if (chosen == null) {
        for (final String a : Collections.list(ks.aliases())) {
          if (ks.isKeyEntry(a)) {
            if (chosen != null) {
              throw new SigningKeyException(SigningKeyException.Reason.CONFIGURATION,
                  "the PKCS#11 token holds several keys; name one with --key-alias");
            }
            chosen = a;
          }
        }
      }
      if (chosen == null || !ks.isKeyEntry(chosen)) {
        throw new SigningKeyException(SigningKeyException.Reason.NOT_FOUND, "no private key "
            + (alias == null ? "" : "\"" + alias + "\" ") + "in the PKCS#11 token");
      }
      final PrivateKey key = (PrivateKey) ks.getKey(chosen, null);
      final List<X509Certificate> chain = new ArrayList<>();
      if (chainFile != null) {
        chain.addAll(Certificates.parsePemOrDer(Files.readAllBytes(chainFile)));
      } else {
        final Certificate[] certs = ks.getCertificateChain(chosen);
        if (certs == null || certs.length == 0) {
          throw new SigningKeyException(SigningKeyException.Reason.CONFIGURATION, "the token holds no certificate"
              + " for key \"" + chosen + "\"; give its chain with --cert-chain");
        }
        for (final Certificate c : certs) {
          chain.add((X509Certificate) c);
        }
      }
      return new LocalSigningKey(key, chain, provider);
    } catch (final SigningKeyException e) {
      throw e;
    } catch (final IOException | GeneralSecurityException | RuntimeException e) {
      throw new SigningKeyException(SigningKeyException.Reason.CONFIGURATION,
          "cannot read the key from the PKCS#11 token: " + rootMessage(e), e);
    }
  }

  private static String rootMessage(final Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    final String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    return t == c || t.getMessage() == null ? m : t.getMessage() + " (" + m + ")";
  }
}
