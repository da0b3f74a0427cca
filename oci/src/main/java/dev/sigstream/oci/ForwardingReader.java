package dev.sigstream.oci;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link RegistryReader} that forwards every operation to another: the base for readers that change one thing
 * (tests that make a registry lie or stall in one place). Its {@link #within} bounds this reader, overrides
 * included, with a {@link DeadlineBoundReader}.
 */
public class ForwardingReader implements RegistryReader {

  private final RegistryReader delegate;

  public ForwardingReader(final RegistryReader delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    return delegate.resolve(ref);
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    return delegate.manifest(ref);
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor descriptor) {
    return delegate.blob(repository, descriptor);
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    return delegate.referrers(subject, artifactType);
  }

  @Override
  public RegistryReader within(final Deadline deadline) {
    return new DeadlineBoundReader(this, deadline);
  }
}
