package dev.sigstream.oci.client;

import static dev.sigstream.oci.client.Responses.done;
import static dev.sigstream.oci.client.Responses.guarded;
import static dev.sigstream.oci.client.Responses.notAllowed;
import static dev.sigstream.oci.client.Responses.pull;
import static dev.sigstream.oci.client.Responses.uri;

import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of {@link OciRegistryHttpClient}: what verification depends on. Every registry-supplied header goes
 * through {@link RegistryHeaders} (capped, linear), every body through a size cap, and every operation through
 * {@link Responses#guarded}, so no input throws past this class.
 *
 * <p>{@link #within(Deadline)} gives a view over the same connections and token cache whose every exchange (each
 * referrers page, token fetches, redirect hops, manifests, blobs) is bounded by the deadline: a page not yet requested
 * when it passes is not requested, and the pagination ends there with {@link FetchResult.Unavailable}
 * ({@code deadlineExceeded}).
 */
public final class RegistryHttpReader implements RegistryReader {

  private static final Logger log = LoggerFactory.getLogger(RegistryHttpReader.class);

  private final RegistryConfig config;
  private final Transport transport;
  private final Clock clock;
  /** Repositories (host/repo) known to lack the referrers API: go straight to the tag schema. Shared by views. */
  private final Set<String> noReferrersApi;

  RegistryHttpReader(final RegistryConfig config, final Transport transport, final Clock clock,
      final Set<String> noReferrersApi) {
    this.config = Objects.requireNonNull(config, "config");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.noReferrersApi = noReferrersApi;
  }

  @Override
  public RegistryHttpReader within(final Deadline deadline) {
    return over(transport.within(Objects.requireNonNull(deadline, "deadline")));
  }

  /** This reader over another view of its transport (sharing its referrers-API knowledge). */
  RegistryHttpReader over(final Transport t) {
    return new RegistryHttpReader(config, t, clock, noReferrersApi);
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
    Objects.requireNonNull(ref, "ref");
    return guarded(() -> doResolve(ref), "resolving " + ref);
  }

  private CompletableFuture<FetchResult<Descriptor>> doResolve(final Reference ref) {
    final Optional<RegistryEntry> e = config.entry(ref.registry());
    if (e.isEmpty()) {
      return notAllowed(ref.registry());
    }
    final Transport.Req req = new Transport.Req("HEAD", uri(e.get(), ref.repository(), "/manifests/"
        + ref.identifier()), Map.of("Accept", MediaTypes.MANIFEST_ACCEPT), null, 0, pull(ref), true);
    return transport.send(e.get(), req).thenCompose(res -> {
      if (!(res instanceof FetchResult.Found<Transport.Response> f)) {
        return done(res.castFailure());
      }
      final Transport.Response r = f.value();
      final Digest d = RegistryHeaders.digest(r.headers().firstValue("docker-content-digest").orElse(null));
      // HEAD unsupported, or no digest header: fall back to GET and hash the bytes ourselves.
      if (r.status() == 405 || r.status() == 501 || (r.status() == 200 && d == null)) {
        log.debug("HEAD not usable on {} (HTTP {}), falling back to GET", ref.registry(), r.status());
        return manifest(ref).thenApply(m -> m.map(Manifest::descriptor));
      }
      if (r.status() != 200) {
        return done(Responses.failure(r, "manifest " + ref, clock));
      }
      if (ref.isDigest() && !ref.digest().equals(d)) {
        return done(new FetchResult.Invalid<>("DIGEST_MISMATCH", "registry resolved " + ref + " to " + d));
      }
      final long size = RegistryHeaders.contentLength(r.headers().firstValue("content-length").orElse(null), 0);
      final String mediaType = MediaTypes.normalize(r.contentType());
      return done(FetchResult.found(new Descriptor(mediaType, d, size, null, Map.of(), null)));
    });
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    return manifest(ref, MediaTypes.MANIFEST_ACCEPT);
  }

  CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref, final String accept) {
    Objects.requireNonNull(ref, "ref");
    return guarded(() -> doManifest(ref, accept), "fetching manifest " + ref);
  }

  private CompletableFuture<FetchResult<Manifest>> doManifest(final Reference ref, final String accept) {
    final Optional<RegistryEntry> e = config.entry(ref.registry());
    if (e.isEmpty()) {
      return notAllowed(ref.registry());
    }
    final Transport.Req req = new Transport.Req("GET", uri(e.get(), ref.repository(), "/manifests/"
        + ref.identifier()), Map.of("Accept", accept), null, config.limits().maxManifestBytes(), pull(ref), true);
    return transport.send(e.get(), req).thenApply(res -> {
      if (!(res instanceof FetchResult.Found<Transport.Response> f)) {
        return res.castFailure();
      }
      final Transport.Response r = f.value();
      if (r.status() != 200) {
        return Responses.failure(r, "manifest " + ref, clock);
      }
      final byte[] body = r.body();
      final Digest digest;
      if (ref.isDigest()) {
        if (!ref.digest().matches(body)) {
          return new FetchResult.Invalid<>("DIGEST_MISMATCH", "manifest bytes for " + ref + " hash to "
              + ref.digest().recompute(body));
        }
        digest = ref.digest();
      } else {
        final Digest header = RegistryHeaders.digest(r.headers().firstValue("docker-content-digest").orElse(null));
        if (header != null && !header.matches(body)) {
          return new FetchResult.Invalid<>("DIGEST_MISMATCH", "manifest bytes for " + ref
              + " do not match Docker-Content-Digest " + header);
        }
        digest = header != null ? header : Digest.sha256(body);
      }
      try {
        return FetchResult.found(Manifest.parse(body, r.contentType(), digest));
      } catch (IllegalArgumentException ex) {
        return new FetchResult.Invalid<>("MALFORMED", "manifest " + ref + ": " + ex.getMessage());
      }
    });
  }

  @Override
  public CompletableFuture<FetchResult<byte[]>> blob(final Reference repository, final Descriptor d) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(d, "descriptor");
    return guarded(() -> doBlob(repository, d), "fetching blob " + d.digest());
  }

  private CompletableFuture<FetchResult<byte[]>> doBlob(final Reference repository, final Descriptor d) {
    final Optional<RegistryEntry> e = config.entry(repository.registry());
    if (e.isEmpty()) {
      return notAllowed(repository.registry());
    }
    if (d.size() > config.limits().maxBlobBytes()) {
      return done(new FetchResult.Invalid<>("OVERSIZE", "blob " + d.digest() + " declares " + d.size()
          + " bytes, cap is " + config.limits().maxBlobBytes()));
    }
    // Cap at the declared size: a longer body is already wrong, no need to read it.
    final Transport.Req req = new Transport.Req("GET", uri(e.get(), repository.repository(), "/blobs/"
        + d.digest()), Map.of(), null, Math.max(d.size(), 0), pull(repository), true);
    return transport.send(e.get(), req).thenApply(res -> {
      if (!(res instanceof FetchResult.Found<Transport.Response> f)) {
        return res.castFailure();
      }
      final Transport.Response r = f.value();
      if (r.status() != 200) {
        return Responses.failure(r, "blob " + d.digest(), clock);
      }
      final byte[] body = r.body();
      if (body.length != d.size()) {
        return new FetchResult.Invalid<>("SIZE_MISMATCH", "blob " + d.digest() + " has " + body.length
            + " bytes, descriptor says " + d.size());
      }
      if (!d.digest().matches(body)) {
        return new FetchResult.Invalid<>("DIGEST_MISMATCH", "blob content hashes to " + d.digest().recompute(body)
            + ", expected " + d.digest());
      }
      return FetchResult.found(body);
    });
  }

  @Override
  public CompletableFuture<FetchResult<Referrers>> referrers(final Reference subject, final String artifactType) {
    if (!subject.isDigest()) {
      throw new IllegalArgumentException("referrers need a digest reference, got " + subject);
    }
    return guarded(() -> doReferrers(subject, artifactType), "listing referrers of " + subject);
  }

  private CompletableFuture<FetchResult<Referrers>> doReferrers(final Reference subject, final String artifactType) {
    final Optional<RegistryEntry> e = config.entry(subject.registry());
    if (e.isEmpty()) {
      return notAllowed(subject.registry());
    }
    final String key = subject.registry() + "/" + subject.repository();
    if (noReferrersApi.contains(key)) {
      return tagSchema(subject, artifactType);
    }
    final String q = artifactType == null ? "" : "?artifactType=" + URLEncoder.encode(artifactType,
        StandardCharsets.UTF_8);
    final URI first = uri(e.get(), subject.repository(), "/referrers/" + subject.digest() + q);
    return referrerPage(e.get(), subject, artifactType, first, new ArrayList<>(), 1);
  }

  private CompletableFuture<FetchResult<Referrers>> referrerPage(final RegistryEntry e, final Reference subject,
      final String artifactType, final URI page, final List<Descriptor> acc, final int pageNo) {
    final Transport.Req req = new Transport.Req("GET", page, Map.of("Accept", MediaTypes.OCI_INDEX), null,
        config.limits().maxManifestBytes(), pull(subject), true);
    // Each page is one exchange of the (possibly deadline-bound) transport: once the deadline passes, the next page
    // is not requested and the listing ends with Unavailable(deadlineExceeded).
    return transport.send(e, req).thenCompose(res -> {
      if (!(res instanceof FetchResult.Found<Transport.Response> f)) {
        return done(res.<Referrers>castFailure());
      }
      final Transport.Response r = f.value();
      final boolean isIndex = r.status() == 200 && MediaTypes.OCI_INDEX.equals(MediaTypes.normalize(r.contentType()));
      if (r.status() == 404 || (r.status() == 200 && !isIndex)) {
        if (r.status() == 404 && "NAME_UNKNOWN".equals(Responses.errorCode(r.body()))) {
          return done(new FetchResult.NotFound<Referrers>("NAME_UNKNOWN", "repository " + subject.repository()
              + " does not exist on " + subject.registry()));
        }
        if (pageNo > 1) {
          return done(new FetchResult.Invalid<Referrers>("PROTOCOL", "referrers page " + pageNo + " answered HTTP "
              + r.status()));
        }
        // Distribution spec: any other 404 means no referrers API; use the tag schema from now on.
        noReferrersApi.add(subject.registry() + "/" + subject.repository());
        return tagSchema(subject, artifactType);
      }
      if (r.status() != 200) {
        return done(Responses.failure(r, "referrers of " + subject, clock));
      }
      final List<Descriptor> entries;
      try {
        entries = Manifest.parse(r.body(), r.contentType(), Digest.sha256(r.body())).manifests();
      } catch (IllegalArgumentException ex) {
        return done(new FetchResult.Invalid<Referrers>("MALFORMED", "referrers index: " + ex.getMessage()));
      }
      final boolean filtered = r.headers().allValues("oci-filters-applied").stream()
          .anyMatch(v -> RegistryHeaders.filterApplied(v, "artifactType"));
      for (Descriptor d : entries) {
        if (artifactType != null && !filtered && !artifactType.equals(d.artifactType())) {
          continue;
        }
        if (acc.size() >= config.limits().maxReferrers()) {
          log.warn("referrer cap {} reached for {}", config.limits().maxReferrers(), subject);
          return done(FetchResult.found(new Referrers(subject.digest(), acc, Referrers.Source.REFERRERS_API,
              true)));
        }
        acc.add(d);
      }
      Optional<URI> next = Optional.empty();
      for (String link : r.headers().allValues("link")) {
        final Optional<String> target = RegistryHeaders.linkNext(link);
        if (target.isPresent()) {
          try {
            next = Optional.of(r.uri().resolve(target.get()));
          } catch (IllegalArgumentException ex) {
            return done(new FetchResult.Invalid<Referrers>("PROTOCOL", "referrers page " + pageNo
                + ": malformed Link target"));
          }
          break;
        }
      }
      if (next.isEmpty()) {
        return done(FetchResult.found(new Referrers(subject.digest(), acc, Referrers.Source.REFERRERS_API, false)));
      }
      if (pageNo >= config.limits().maxReferrerPages()) {
        log.warn("referrer page cap {} reached for {}", config.limits().maxReferrerPages(), subject);
        return done(FetchResult.found(new Referrers(subject.digest(), acc, Referrers.Source.REFERRERS_API, true)));
      }
      return referrerPage(e, subject, artifactType, next.get(), acc, pageNo + 1);
    });
  }

  private CompletableFuture<FetchResult<Referrers>> tagSchema(final Reference subject, final String artifactType) {
    final Reference tag = subject.withTag(subject.digest().referrersTag());
    return doManifest(tag, MediaTypes.OCI_INDEX).thenApply(res -> {
      if (res instanceof FetchResult.NotFound<Manifest> nf) {
        if ("NAME_UNKNOWN".equals(nf.code())) {
          return nf.<Referrers>castFailure();
        }
        return FetchResult.found(new Referrers(subject.digest(), List.of(), Referrers.Source.TAG_SCHEMA, false));
      }
      if (!(res instanceof FetchResult.Found<Manifest> f)) {
        return res.castFailure();
      }
      if (!MediaTypes.OCI_INDEX.equals(MediaTypes.normalize(f.value().mediaType()))) {
        log.warn("tag {} is not an OCI index; treating as no referrers", tag);
        return FetchResult.found(new Referrers(subject.digest(), List.of(), Referrers.Source.TAG_SCHEMA, false));
      }
      final List<Descriptor> out = new ArrayList<>();
      boolean truncated = false;
      for (Descriptor d : f.value().manifests()) {
        if (artifactType != null && !artifactType.equals(d.artifactType())) {
          continue;
        }
        if (out.size() >= config.limits().maxReferrers()) {
          truncated = true;
          log.warn("referrer cap {} reached for {}", config.limits().maxReferrers(), subject);
          break;
        }
        out.add(d);
      }
      return FetchResult.found(new Referrers(subject.digest(), out, Referrers.Source.TAG_SCHEMA, truncated));
    });
  }
}
