package dev.sigstream.oci.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Deadline;
import dev.sigstream.oci.DeadlineBoundReader;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryReader;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.RegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RegistryClient} over the JDK {@link HttpClient}: HTTP/2 where the registry offers it (ALPN), pooled
 * connections, redirects followed by hand ({@code Redirect.NEVER}) so every hop passes the allowlist.
 *
 * <p>Security properties: hosts outside {@link RegistryConfig} are refused before any DNS lookup or connection;
 * plain HTTP only for entries marked insecure; credentials and tokens are sent only to the registry host (and to its
 * allowed token realm), never to redirect targets, and never appear in logs, exception messages or results.
 */
public final class OciRegistryHttpClient implements RegistryClient {

  private static final Logger log = LoggerFactory.getLogger(OciRegistryHttpClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LINK_NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");

  private final RegistryConfig config;
  private final Transport transport;
  private final Clock clock;
  /** Repositories (host/repo) known to lack the referrers API: go straight to the tag schema. */
  private final Set<String> noReferrersApi = ConcurrentHashMap.newKeySet();
  /** Serialises tag-schema index updates per subject within this client. */
  private final ConcurrentMap<String, CompletableFuture<?>> indexTails = new ConcurrentHashMap<>();

  private OciRegistryHttpClient(final RegistryConfig config, final Clock clock, final HttpClient http) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.transport = new Transport(http, clock, config.limits());
  }

  /** A client with its own JDK {@link HttpClient} (HTTP/2 preferred, no automatic redirects). */
  public static OciRegistryHttpClient create(final RegistryConfig config, final Clock clock) {
    return create(config, clock, HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(config.limits().connectTimeout())
        .build());
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
    return new OciRegistryHttpClient(config, clock, http);
  }

  public RegistryConfig config() {
    return config;
  }

  // --- read ---------------------------------------------------------------------------------------------------

  @Override
  public CompletableFuture<FetchResult<Descriptor>> resolve(final Reference ref) {
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
      // HEAD unsupported, or no digest header: fall back to GET and hash the bytes ourselves.
      if (r.status() == 405 || r.status() == 501 || (r.status() == 200
          && parseDigest(r.header("docker-content-digest").orElse(null)) == null)) {
        log.debug("HEAD not usable on {} (HTTP {}), falling back to GET", ref.registry(), r.status());
        return manifest(ref).thenApply(m -> m.map(Manifest::descriptor));
      }
      if (r.status() != 200) {
        return done(failure(r, "manifest " + ref));
      }
      final Digest d = parseDigest(r.header("docker-content-digest").get());
      if (ref.isDigest() && !ref.digest().equals(d)) {
        return done(new FetchResult.Invalid<>("DIGEST_MISMATCH", "registry resolved " + ref + " to " + d));
      }
      final long size = r.headers().firstValueAsLong("content-length").orElse(0);
      return done(FetchResult.found(new Descriptor(MediaTypes.normalize(r.contentType()), d, size, null, Map.of(),
          null)));
    });
  }

  @Override
  public CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref) {
    return manifest(ref, MediaTypes.MANIFEST_ACCEPT);
  }

  private CompletableFuture<FetchResult<Manifest>> manifest(final Reference ref, final String accept) {
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
        return failure(r, "manifest " + ref);
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
        final Digest header = parseDigest(r.header("docker-content-digest").orElse(null));
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
        return failure(r, "blob " + d.digest());
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
    return transport.send(e, req).thenCompose(res -> {
      if (!(res instanceof FetchResult.Found<Transport.Response> f)) {
        return done(res.<Referrers>castFailure());
      }
      final Transport.Response r = f.value();
      final boolean isIndex = r.status() == 200 && MediaTypes.OCI_INDEX.equals(MediaTypes.normalize(r.contentType()));
      if (r.status() == 404 || (r.status() == 200 && !isIndex)) {
        if (r.status() == 404 && "NAME_UNKNOWN".equals(errorCode(r.body()))) {
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
        return done(failure(r, "referrers of " + subject));
      }
      final List<Descriptor> entries;
      try {
        entries = Manifest.parse(r.body(), r.contentType(), Digest.sha256(r.body())).manifests();
      } catch (IllegalArgumentException ex) {
        return done(new FetchResult.Invalid<Referrers>("MALFORMED", "referrers index: " + ex.getMessage()));
      }
      final boolean filtered = r.headers().allValues("oci-filters-applied").stream()
          .anyMatch(v -> Arrays.stream(v.split(",")).map(String::trim).anyMatch("artifactType"::equals));
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
      final Optional<URI> next = r.headers().allValues("link").stream()
          .map(LINK_NEXT::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
          .map(link -> r.uri().resolve(link));
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
    return manifest(tag, MediaTypes.OCI_INDEX).thenApply(res -> {
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

  // --- write --------------------------------------------------------------------------------------------------

  @Override
  public RegistryReader within(final Deadline deadline) {
    return new DeadlineBoundReader(this, deadline);
  }

  @Override
  public CompletableFuture<FetchResult<Descriptor>> pushBlob(final Reference repository, final String mediaType,
      final byte[] content) {
    return pushBlob(repository, mediaType, content, 0);
  }

  @Override
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
        return failure(f.value(), "blob upload " + digest);
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
      return failure(f.value(), what);
    }
    final Optional<String> loc = f.value().header("location");
    if (loc.isEmpty()) {
      return new FetchResult.Invalid<>("PROTOCOL", what + ": no Location header");
    }
    try {
      return FetchResult.found(f.value().uri().resolve(loc.get()));
    } catch (IllegalArgumentException ex) {
      return new FetchResult.Invalid<>("PROTOCOL", what + ": malformed Location");
    }
  }

  @Override
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
        return failure(r, "manifest push " + target);
      }
      final Digest echoed = parseDigest(r.header("docker-content-digest").orElse(null));
      if (echoed != null && echoed.algorithm().equals(digest.algorithm()) && !echoed.equals(digest)) {
        return new FetchResult.Invalid<>("DIGEST_MISMATCH", "registry stored " + target + " as " + echoed
            + ", expected " + digest);
      }
      return FetchResult.found(new PushedManifest(Descriptor.of(mediaType, digest, manifest.length),
          r.header("oci-subject").isPresent()));
    });
  }

  @Override
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
    return manifest(tag, MediaTypes.OCI_INDEX).thenCompose(cur -> {
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

  // --- helpers ------------------------------------------------------------------------------------------------

  private static URI uri(final RegistryEntry e, final String repository, final String rest) {
    return URI.create(Transport.base(e) + "/v2/" + repository + rest);
  }

  private static String pull(final Reference r) {
    return "repository:" + r.repository() + ":pull";
  }

  private static String push(final Reference r) {
    return "repository:" + r.repository() + ":pull,push";
  }

  private static <T> CompletableFuture<FetchResult<T>> notAllowed(final String host) {
    // Decided from configuration alone: no DNS lookup, no connection.
    return done(new FetchResult.NotAllowed<>(host, "registry " + host + " is not on the allowlist"));
  }

  private static <T> CompletableFuture<T> done(final T v) {
    return CompletableFuture.completedFuture(v);
  }

  private static Digest parseDigest(final String s) {
    if (s == null) {
      return null;
    }
    try {
      return Digest.parse(s.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private <T> FetchResult<T> failure(final Transport.Response r, final String what) {
    final String code = errorCode(r.body());
    final String detail = what + ": HTTP " + r.status() + (code != null ? " " + code : "");
    switch (r.status()) {
      case 401:
        return new FetchResult.Unauthorized<>(detail);
      case 403:
        return new FetchResult.Forbidden<>(detail);
      case 404:
        return new FetchResult.NotFound<>(code, detail);
      case 429:
        return new FetchResult.RateLimited<>(retryAfter(r.header("retry-after").orElse(null)), detail);
      case 408:
        return new FetchResult.Unavailable<>(detail);
      default:
        if (r.status() >= 500) {
          return new FetchResult.Unavailable<>(detail);
        }
        return new FetchResult.Invalid<>("PROTOCOL", detail);
    }
  }

  /** {@code Retry-After}: delta-seconds or an HTTP-date (relative to the injected clock). */
  Optional<Duration> retryAfter(final String v) {
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    try {
      final long s = Long.parseLong(v.trim());
      return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
    } catch (NumberFormatException e) {
      try {
        final ZonedDateTime at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        final Duration d = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException ex) {
        return Optional.empty();
      }
    }
  }

  /** The first {@code errors[].code} of a distribution error body, or null. */
  private static String errorCode(final byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      final JsonNode n = JSON.readTree(body);
      final JsonNode errs = n == null ? null : n.get("errors");
      if (errs != null && errs.isArray() && errs.size() > 0 && errs.get(0).hasNonNull("code")) {
        final String c = errs.get(0).get("code").asText();
        return c.matches("[A-Z_]{1,64}") ? c : null;
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  @Override
  public String toString() {
    return "OciRegistryHttpClient" + new LinkedHashMap<>(config.registries()).keySet();
  }
}
