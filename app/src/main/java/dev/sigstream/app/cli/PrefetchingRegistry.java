package dev.sigstream.app.cli;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.ForwardingReader;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryReader;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first registry requests of a one-reference {@code verify}, sent before the verifier is built, so that their
 * round trip (and the HTTP client's first connection) overlaps the loading of the trust material on the other core
 * instead of following it: the verifier's discovery asks for the manifest and the referrers of the artifact first
 * ({@code ArtifactDiscovery#discover}), and for a tag, its resolution.
 *
 * <p>Each prefetched request is handed out once, to the first identical request (same method, same reference, same
 * artifact type); every other request goes to the client as before. The prefetched results are the client's own
 * (same client, same allowlist, same caps and deadline), so what the verifier decides on is exactly what it would
 * have fetched itself; a failed prefetch is the same failure it would have seen. Nothing is cached beyond that one
 * hand-over. Requests the verifier never makes (a policy at level {@code skip}, a trust policy that fails to load)
 * are wasted, which costs a round trip, not a verdict.
 */
final class PrefetchingRegistry extends ForwardingReader {

  /** One prefetched request: method, reference and (for referrers) the artifact type. */
  private record Key(String method, Reference ref, String artifactType) {}

  private final RegistryReader delegate;
  private final Map<Key, CompletableFuture<?>> pending;

  private PrefetchingRegistry(final RegistryReader delegate, final Map<Key, CompletableFuture<?>> pending) {
    super(delegate);
    this.delegate = delegate;
    this.pending = pending;
  }

  /**
   * Sends, through {@code client}, the requests a verification of {@code ref} starts with, and returns a reader that
   * hands them to the verifier: for a digest, the manifest and the referrers listing of {@code artifactType}; for a
   * tag, its resolution.
   */
  static RegistryReader start(final RegistryReader client, final Reference ref, final String artifactType) {
    final Map<Key, CompletableFuture<?>> pending = new ConcurrentHashMap<>();
    final PrefetchingRegistry r = new PrefetchingRegistry(client, pending);
    if (ref.isDigest()) {
      pending.put(new Key("referrers", ref, artifactType), client.referrers(ref, artifactType));
      pending.put(new Key("manifest", ref, null), client.manifest(ref));
    } else {
      pending.put(new Key("resolve", ref, null), client.resolve(ref));
    }
    return r;
  }

  /** The keys still waiting for their request (for tests). */
  List<String> unclaimed() {
    return pending.keySet().stream().map(k -> k.method() + " " + k.ref()).sorted().toList();
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> take(final Key key) {
    return (CompletableFuture<T>) pending.remove(key);
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    final CompletableFuture<FetchResult<Descriptor>> f = take(new Key("resolve", ref, null));
    return f != null ? f : delegate.resolve(ref);
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    final CompletableFuture<FetchResult<Manifest>> f = take(new Key("manifest", ref, null));
    return f != null ? f : delegate.manifest(ref);
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    final CompletableFuture<FetchResult<Referrers>> f = take(new Key("referrers", subject, artifactType));
    return f != null ? f : delegate.referrers(subject, artifactType);
  }

  /**
   * The narrower deadline applies to every request made from here on, through the client's own {@code within} (as
   * without a prefetch; not {@link ForwardingReader}'s wrapper); prefetched requests stay bound to the client's
   * deadline, the command's, which is never later than an artifact's.
   */
  @Override
  public RegistryReader within(final Deadline deadline) {
    return new PrefetchingRegistry(delegate.within(Objects.requireNonNull(deadline, "deadline")), pending);
  }
}
