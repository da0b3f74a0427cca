package dev.sigstream.oci.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Caps and timeouts.
 *
 * @param maxManifestBytes largest manifest or index accepted (default 4 MiB, as notation-go)
 * @param maxBlobBytes largest blob accepted, e.g. a signature envelope (default 32 MiB, as notation-go)
 * @param maxReferrers most referrers collected for one subject (default 1000); beyond it the list is truncated
 * @param maxReferrerPages most referrers-API pages followed (default 100)
 * @param requestTimeout per HTTP request, until the whole response body has arrived (default 10 s)
 * @param connectTimeout TCP/TLS connect timeout (default 5 s)
 *
 * <p>The time budget of a whole artifact is not here: it is a {@link dev.sigstream.oci.Deadline} the caller owns and
 * binds with {@link dev.sigstream.oci.RegistryReader#within}.
 */
public record Limits(long maxManifestBytes, long maxBlobBytes, int maxReferrers, int maxReferrerPages,
    Duration requestTimeout, Duration connectTimeout) {

  public static final Limits DEFAULTS = new Limits(4L << 20, 32L << 20, 1000, 100,
      Duration.ofSeconds(10), Duration.ofSeconds(5));

  public Limits {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (maxManifestBytes <= 0 || maxBlobBytes <= 0 || maxReferrers <= 0 || maxReferrerPages <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public Limits withMaxManifestBytes(final long v) {
    return new Limits(v, maxBlobBytes, maxReferrers, maxReferrerPages, requestTimeout, connectTimeout);
  }

  public Limits withMaxBlobBytes(final long v) {
    return new Limits(maxManifestBytes, v, maxReferrers, maxReferrerPages, requestTimeout, connectTimeout);
  }

  public Limits withMaxReferrers(final int v) {
    return new Limits(maxManifestBytes, maxBlobBytes, v, maxReferrerPages, requestTimeout, connectTimeout);
  }

  public Limits withRequestTimeout(final Duration v) {
    return new Limits(maxManifestBytes, maxBlobBytes, maxReferrers, maxReferrerPages, v, connectTimeout);
  }
}
