package dev.sigstream.notary.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider instance of the process, made on first use. Building a {@link BouncyCastleProvider}
 * registers every algorithm it has (thousands of entries, about 900 classes loaded): it was built four times, once
 * per class that needed it, which a short CLI command paid for in full. It is never installed with
 * {@link java.security.Security#addProvider}: callers name it explicitly.
 */
public final class BcProvider {

  private BcProvider() {}

  /** The shared provider. */
  public static Provider get() {
    return Holder.BC;
  }

  private static final class Holder {
    static final Provider BC = new BouncyCastleProvider();
  }
}
