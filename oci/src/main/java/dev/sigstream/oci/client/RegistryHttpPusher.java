package dev.sigstream.oci.client;

import static dev.sigstream.oci.client.Responses.done;
import static dev.sigstream.oci.client.Responses.notAllowed;
import static dev.sigstream.oci.client.Responses.push;
import static dev.sigstream.oci.client.Responses.uri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;

/**
 * The push side of {@link OciRegistryHttpClient} ({@code sigstream sign}, test fixtures): blob uploads (monolithic
 * and chunked), manifest pushes, and referrers with the tag-schema index fallback. Reads it needs (the current
 * tag-schema index) go through the read side.
 */
final class RegistryHttpPusher {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConfig config;
  private final Transport transport;
  private final RegistryHttpReader reader;
  private final Clock clock;
  /** Serialises tag-schema index updates per subject within this client (shared by deadline-bound views). */
  private final ConcurrentMap<String, CompletableFuture<?>> indexTails;

  RegistryHttpPusher(final RegistryConfig config, final Transport transport, final RegistryHttpReader reader,
      final Clock clock, final ConcurrentMap<String, CompletableFuture<?>> indexTails) {
    this.config = config;
    this.transport = transport;
    this.reader = reader;
    this.clock = clock;
    this.indexTails = indexTails;
  }

  /** This pusher over another view of the transport, reading through {@code r}. */
  RegistryHttpPusher over(final Transport t, final RegistryHttpReader r) {
    return new RegistryHttpPusher(config, t, r, clock, indexTails);
  }

  public CompletableFuture<FetchResult<Descriptor>> pushBlob(final Reference repository, final String mediaType,
      final byte[] content) {
    return pushBlob(repository, mediaType, content, 0);
  }

  public CompletableFuture<FetchResult<Descriptor>> pushBlobChunked(final Reference repository,
      final String mediaType, final byte[] content, final int chunkSize) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be positive");
    }
    return pushBlob(repository, mediaType, content, chunkSize);
  }

  private CompletableFuture<FetchResult<Descriptor>> pushBlob(final Reference repo, final String mediaType,
      final byte[] content, final int chunkSize) {
    final Optional<RegistryEntry> e = config.entry(repo.registry());
    if (e.isEmpty()) {
      return notAllowed(repo.registry());
    }
    final RegistryEntry entry = e.get();
    final Digest digest = Digest.sha256(content);
    final Descriptor desc = Descriptor.of(mediaType, digest, content.length);
    final String scope = push(repo);
    final Transport.Req head = new Transport.Req("HEAD", uri(entry, repo.repository(), "/blobs/" + digest),
        Map.of(), null, 0, scope, true);
    return transport.send(entry, head).thenCompose(h -> {
      if (h instanceof FetchResult.Found<Transport.Response> f && f.value().status() == 200) {
        return done(FetchResult.found(desc));
      }
      final Transport.Req start = new Transport.Req("POST", uri(entry, repo.repository(), "/blobs/uploads/"),
          Map.of(), new byte[0], 1 << 16, scope, false);
      return transport.send(entry, start).thenCompose(s -> {
        final FetchResult<URI> loc = location(s, 202, "blob upload start");
        if (!(loc instanceof FetchResult.Found<URI> l)) {
          return done(loc.<Descriptor>castFailure());
        }
        if (chunkSize == 0) {
          return finishUpload(entry, l.value(), content, digest, scope, desc);
        }
        return patchChunks(entry, l.value(), content, 0, chunkSize, scope).thenCompose(p -> {
          if (!(p instanceof FetchResult.Found<URI> pl)) {
            return done(p.<Descriptor>castFailure());
          }
          return finishUpload(entry, pl.value(), new byte[0], digest, scope, desc);
        });
      });
    });
  }

  private CompletableFuture<FetchResult<URI>> patchChunks(final RegistryEntry entry, final URI location,
      final byte[] content, final int offset, final int chunkSize, final String scope) {
    if (offset >= content.length) {
      return done(FetchResult.found(location));
    }
    final int end = Math.min(content.length, offset + chunkSize);
    final byte[] chunk = Arrays.copyOfRange(content, offset, end);
    final Transport.Req req = new Transport.Req("PATCH", location, Map.of("Content-Type",
        "application/octet-stream", "Content-Range", offset + "-" + (end - 1)), chunk, 1 << 16, scope, false);
    return transport.send(entry, req).thenCompose(r -> {
      final FetchResult<URI> loc = location(r, 202, "blob chunk " + offset + "-" + (end - 1));
      if (!(loc instanceof FetchResult.Found<URI> l)) {
        return done(loc);
      }
      return patchChunks(entry, l.value(), content, end, chunkSize, scope);
    });
  }

  private CompletableFuture<FetchResult<Descriptor>> finishUpload(final RegistryEntry entry, final URI location,
      final byte[] body, final Digest digest, final String scope, final Descriptor desc) {
    final String sep = location.getRawQuery() == null ? "?" : "&";
    final URI put = URI.create(location + sep + "digest=" + URLEncoder.encode(digest.toString(),
        StandardCharsets.UTF_8));
    final Transport.Req req = new Transport.Req("PUT", put, Map.of("Content-Type", "application/octet-stream"), body,
        1 << 16, scope, false);
    return transport.send(entry, req).thenApply(r -> {
      if (!(r instanceof FetchResult.Found<Transport.Response> f)) {
        return r.castFailure();
      }
      if (f.value().status() != 201) {
        return Responses.failure(f.value(), "blob upload " + digest, clock);
      }
      return FetchResult.found(desc);
    });
  }

  private FetchResult<URI> location(final FetchResult<Transport.Response> r, final int expected,
      final String what) {
    if (!(r instanceof FetchResult.Found<Transport.Response> f)) {
      return r.castFailure();
    }
    if (f.value().status() != expected) {
      return Responses.failure(f.value(), what, clock);
    }
    final Optional<String> loc = f.value().header("location", RegistryHeaders.MAX_LOCATION);
    if (loc.isEmpty()) {
      return new FetchResult.Invalid<>("PROTOCOL", what + ": no Location header");
    }
    try {
      return FetchResult.found(f.value().uri().resolve(loc.get()));
    } catch (IllegalArgumentException ex) {
      return new FetchResult.Invalid<>("PROTOCOL", what + ": malformed Location");
    }
  }

  public CompletableFuture<FetchResult<Descriptor>> pushManifest(final Reference target, final String mediaType,
      final byte[] manifest) {
    return putManifest(target, mediaType, manifest).thenApply(r -> r.map(PushedManifest::descriptor));
  }

  private record PushedManifest(Descriptor descriptor, boolean subjectAccepted) {}

  private CompletableFuture<FetchResult<PushedManifest>> putManifest(final Reference target, final String mediaType,
      final byte[] manifest) {
    final Optional<RegistryEntry> e = config.entry(target.registry());
    if (e.isEmpty()) {
      return notAllowed(target.registry());
    }
    final Digest digest = target.isDigest() ? target.digest().recompute(manifest) : Digest.sha256(manifest);
    if (target.isDigest() && !target.digest().equals(digest)) {
      return done(new FetchResult.Invalid<>("DIGEST_MISMATCH", "manifest bytes hash to " + digest + ", not "
          + target.digest()));
    }
    final Transport.Req req = new Transport.Req("PUT", uri(e.get(), target.repository(), "/manifests/"
        + target.identifier()), Map.of("Content-Type", mediaType), manifest, 1 << 16, push(target), false);
    return transport.send(e.get(), req).thenApply(res -> {
      if (!(res instanceof FetchResult.Found<Transport.Response> f)) {
        return res.castFailure();
      }
      final Transport.Response r = f.value();
      if (r.status() != 201) {
        return Responses.failure(r, "manifest push " + target, clock);
      }
      final Digest echoed = RegistryHeaders.digest(r.headers().firstValue("docker-content-digest").orElse(null));
      if (echoed != null && echoed.algorithm().equals(digest.algorithm()) && !echoed.equals(digest)) {
        return new FetchResult.Invalid<>("DIGEST_MISMATCH", "registry stored " + target + " as " + echoed
            + ", expected " + digest);
      }
      return FetchResult.found(new PushedManifest(Descriptor.of(mediaType, digest, manifest.length),
          r.headers().firstValue("oci-subject").isPresent()));
    });
  }

  public CompletableFuture<FetchResult<Descriptor>> pushReferrer(final Reference repository, final String mediaType,
      final byte[] manifest) {
    final Manifest parsed;
    try {
      parsed = Manifest.parse(manifest, mediaType, Digest.sha256(manifest));
    } catch (IllegalArgumentException ex) {
      return done(new FetchResult.Invalid<>("MALFORMED", ex.getMessage()));
    }
    final Optional<Descriptor> subject = parsed.subject();
    if (subject.isEmpty()) {
      return done(new FetchResult.Invalid<>("MALFORMED", "referrer manifest has no subject"));
    }
    final Reference byDigest = Reference.repository(repository.registry(), repository.repository())
        .withDigest(parsed.descriptor().digest());
    return putManifest(byDigest, mediaType, manifest).thenCompose(r -> {
      if (!(r instanceof FetchResult.Found<PushedManifest> f)) {
        return done(r.<Descriptor>castFailure());
      }
      if (f.value().subjectAccepted()) {
        return done(FetchResult.found(f.value().descriptor()));
      }
      final String artifactType = parsed.artifactType() != null ? parsed.artifactType()
          : parsed.config().map(Descriptor::mediaType).orElse(null);
      final Descriptor entry = new Descriptor(mediaType, parsed.descriptor().digest(), manifest.length,
          artifactType, parsed.annotations(), null);
      final Reference subjectRef = byDigest.withDigest(subject.get().digest());
      return updateIndex(subjectRef, entry).thenApply(u -> u.map(v -> f.value().descriptor()));
    });
  }

  /** Read-merge-write of the tag-schema index, serialised per subject within this client. */
  private CompletableFuture<FetchResult<Descriptor>> updateIndex(final Reference subject, final Descriptor entry) {
    final String key = subject.registry() + "/" + subject.repository() + "@" + subject.digest();
    final CompletableFuture<FetchResult<Descriptor>> result = new CompletableFuture<>();
    indexTails.compute(key, (k, prev) -> {
      final CompletableFuture<?> before = prev == null ? CompletableFuture.completedFuture(null) : prev;
      final CompletableFuture<FetchResult<Descriptor>> mine = before.handle((x, ex) -> null)
          .thenCompose(x -> doUpdateIndex(subject, entry));
      mine.whenComplete((v, ex) -> {
        indexTails.remove(k, mine);
        if (ex != null) {
          result.complete(new FetchResult.Unavailable<>("index update failed: " + ex.getClass().getSimpleName()));
        } else {
          result.complete(v);
        }
      });
      return mine;
    });
    return result;
  }

  private CompletableFuture<FetchResult<Descriptor>> doUpdateIndex(final Reference subject, final Descriptor entry) {
    final Reference tag = subject.withTag(subject.digest().referrersTag());
    return reader.manifest(tag, MediaTypes.OCI_INDEX).thenCompose(cur -> {
      final ArrayNode manifests = JSON.createArrayNode();
      if (cur instanceof FetchResult.Found<Manifest> f) {
        final JsonNode existing = f.value().json().get("manifests");
        if (existing != null && existing.isArray()) {
          for (JsonNode n : existing) {
            if (entry.digest().toString().equals(n.path("digest").asText())) {
              return done(FetchResult.found(f.value().descriptor()));
            }
            manifests.add(n);
          }
        }
      } else if (!(cur instanceof FetchResult.NotFound)) {
        return done(cur.<Descriptor>castFailure());
      }
      manifests.add(toJson(entry));
      final ObjectNode index = JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", MediaTypes.OCI_INDEX);
      index.set("manifests", manifests);
      final byte[] bytes;
      try {
        bytes = JSON.writeValueAsBytes(index);
      } catch (IOException ex) {
        throw new IllegalStateException("serialising an ObjectNode cannot fail", ex);
      }
      return pushManifest(tag, MediaTypes.OCI_INDEX, bytes);
    });
  }

  static ObjectNode toJson(final Descriptor d) {
    final ObjectNode n = JSON.createObjectNode();
    n.put("mediaType", d.mediaType());
    n.put("digest", d.digest().toString());
    n.put("size", d.size());
    if (d.artifactType() != null) {
      n.put("artifactType", d.artifactType());
    }
    if (!d.annotations().isEmpty()) {
      final ObjectNode a = n.putObject("annotations");
      new java.util.TreeMap<>(d.annotations()).forEach(a::put);
    }
    return n;
  }
}
