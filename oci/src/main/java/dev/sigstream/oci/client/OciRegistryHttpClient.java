package dev.sigstream.oci.client;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryClient;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link RegistryClient} over the JDK {@link HttpClient}: HTTP/2 where the registry offers it (ALPN), pooled
 * connections, redirects followed by hand ({@code Redirect.NEVER}) so every hop passes the allowlist. A facade over
 * the read side ({@link RegistryHttpReader}, what verification depends on) and the push side
 * ({@link RegistryHttpPusher}), both over one {@link Transport}.
 *
 * <p>Security properties: hosts outside {@link RegistryConfig} are refused before any DNS lookup or connection;
 * plain HTTP only for entries marked insecure; credentials and tokens are sent only to the registry host (and to its
 * allowed token realm), never to redirect targets, and never appear in logs, exception messages or results.
 *
 * <p>{@link #within(Deadline)} is native: the view it returns bounds every HTTP exchange (referrers pages, token
 * fetches, redirects, manifests, blobs, pushes) by the deadline, and cancels those in flight when it passes.
 */
public final class OciRegistryHttpClient implements RegistryClient {

  private final RegistryConfig config;
  private final Transport transport;
  private final RegistryHttpReader reader;
  private final RegistryHttpPusher pusher;

  private OciRegistryHttpClient(final RegistryConfig config, final Clock clock, final Transport transport,
      final Set<String> noReferrersApi, final ConcurrentMap<String, CompletableFuture<?>> indexTails) {
    this.config = Objects.requireNonNull(config, "config");
    this.transport = transport;
    this.reader = new RegistryHttpReader(config, transport, clock, noReferrersApi);
    this.pusher = new RegistryHttpPusher(config, transport, reader, clock, indexTails);
  }

  /**
   * A client with its own JDK {@link HttpClient} (HTTP/2 preferred, no automatic redirects). When every registry
   * is plain HTTP (loopback and test registries), the TLS stack is loaded only if a TLS connection is ever made
   * ({@link dev.sigstream.net.LazyTls}): a short CLI command against such a registry does not pay for it.
   */
  public static OciRegistryHttpClient create(final RegistryConfig config, final Clock clock) {
    final HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(config.limits().connectTimeout());
    if (!config.registries().isEmpty() && config.registries().values().stream().allMatch(RegistryEntry::insecure)) {
      b.sslContext(dev.sigstream.net.LazyTls.context()).sslParameters(dev.sigstream.net.LazyTls.parameters());
    }
    return create(config, clock, b.build());
  }

  /**
   * A client over a caller-supplied {@link HttpClient}. It must be built with {@code Redirect.NEVER}: automatic
   * redirects would bypass the allowlist.
   */
  public static OciRegistryHttpClient create(final RegistryConfig config, final Clock clock, final HttpClient http) {
    if (http.followRedirects() != HttpClient.Redirect.NEVER) {
      throw new IllegalArgumentException("HttpClient must use Redirect.NEVER; redirects are checked against the "
          + "allowlist by this client");
    }
    Objects.requireNonNull(clock, "clock");
    return new OciRegistryHttpClient(config, clock, new Transport(http, clock, config.limits()),
        ConcurrentHashMap.newKeySet(), new ConcurrentHashMap<>());
  }

  public RegistryConfig config() {
    return config;
  }

  /** The read side alone: what a verifier should depend on. */
  public RegistryHttpReader reader() {
    return reader;
  }

  /** The deadline every exchange of this view is bounded by, if it is a {@link #within} view. */
  public Optional<Deadline> deadline() {
    return Optional.ofNullable(transport.deadline());
  }

  /**
   * This client (same connections, token cache and referrers-API knowledge) with every request — reads and pushes,
   * each referrers page, token fetch and redirect hop — bounded by {@code deadline}: a timeout of
   * {@code deadline.cap(requestTimeout)}, not sent once it has passed ({@link FetchResult.Unavailable} with
   * {@code deadlineExceeded}), cancelled when it passes. Nested views keep the sooner deadline.
   */
  @Override
  public OciRegistryHttpClient within(final Deadline deadline) {
    final Transport bound = transport.within(Objects.requireNonNull(deadline, "deadline"));
    return new OciRegistryHttpClient(config, bound, reader, pusher);
  }

  private OciRegistryHttpClient(final RegistryConfig config, final Transport bound, final RegistryHttpReader unbound,
      final RegistryHttpPusher unboundPusher) {
    this.config = config;
    this.transport = bound;
    this.reader = unbound.over(bound);
    this.pusher = unboundPusher.over(bound, reader);
  }

  // --- read ---------------------------------------------------------------------------------------------------

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    return reader.resolve(ref);
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    return reader.manifest(ref);
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor d) {
    return reader.blob(repository, d);
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    return reader.referrers(subject, artifactType);
  }

  // --- write --------------------------------------------------------------------------------------------------

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushBlob(final Reference repository, final String mediaType,
      final byte[] content) {
    return pusher.pushBlob(repository, mediaType, content);
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushBlobChunked(final Reference repository,
      final String mediaType, final byte[] content, final int chunkSize) {
    return pusher.pushBlobChunked(repository, mediaType, content, chunkSize);
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushManifest(final Reference target, final String mediaType,
      final byte[] manifest) {
    return pusher.pushManifest(target, mediaType, manifest);
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushReferrer(final Reference repository, final String mediaType,
      final byte[] manifest) {
    return pusher.pushReferrer(repository, mediaType, manifest);
  }

  @Override
  public String toString() {
    return "OciRegistryHttpClient" + new LinkedHashMap<>(config.registries()).keySet();
  }
}
