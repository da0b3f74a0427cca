package dev.sigstream.oci.client;

import dev.sigstream.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Digest;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.Referrers;
import dev.sigstream.oci.auth.Credentials;
import dev.sigstream.oci.auth.EntraTokenSource;
import dev.sigstream.oci.auth.Secret;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Registry protocol edge cases against loopback HTTP servers (JDK HttpServer). */
@Tag("integration")
@Timeout(60)
class ProtocolEdgeCasesIT {

  private static final String INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String NOTARY = "application/vnd.cncf.notary.signature";
  private static final byte[] BODY = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":{"
      + "\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
      + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},\"layers\":[]}")
      .getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.sha256(BODY);
  private static final Secret PASSWORD = Secret.of("hunter2-do-not-leak");

  private StubServer registry;
  private StubServer storage;
  private StubServer evil;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    registry = new StubServer();
    storage = new StubServer();
    evil = new StubServer();
  }

  @AfterEach
  void stop() {
    release.countDown();
    registry.close();
    storage.close();
    evil.close();
  }

  private OciRegistryHttpClient client(final Credentials creds, final Limits limits) {
    final RegistryEntry e = RegistryEntry.insecure(registry.host(), creds).withRedirectHosts(Set.of(storage.host()));
    return OciRegistryHttpClient.create(RegistryConfig.of(List.of(e), limits), clock);
  }

  private OciRegistryHttpClient client() {
    return client(Credentials.ANONYMOUS, Limits.DEFAULTS);
  }

  private Reference ref(final String suffix) {
    return Reference.parse(registry.host() + "/repo" + suffix);
  }

  private static <T> FetchResult<T> get(final CompletableFuture<FetchResult<T>> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS);
  }

  private static String descriptor(final String artifactType, final int i) {
    return "{\"mediaType\":\"" + MANIFEST + "\",\"digest\":\"sha256:" + String.format("%064x", i) + "\",\"size\":1"
        + ",\"artifactType\":\"" + artifactType + "\"}";
  }

  private static String index(final String... descriptors) {
    return "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[" + String.join(",", descriptors)
        + "]}";
  }

  // --- referrers ------------------------------------------------------------------------------------------------

  @Test
  void referrers_followsLinkPagination_andFiltersClientSideWhenRegistryDidNot() throws Exception {
    // Given: two pages, no OCI-Filters-Applied header
    final String path = "/v2/repo/referrers/" + DIGEST;
    registry.on("GET", path, ex -> {
      final boolean second = ex.getRequestURI().getRawQuery() != null
          && ex.getRequestURI().getRawQuery().contains("last=");
      if (!second) {
        ex.getResponseHeaders().add("Link", "<" + path + "?n=2&last=abc>; rel=\"next\"");
        StubServer.send(ex, 200, INDEX, index(descriptor(NOTARY, 1), descriptor("application/spdx+json", 2)));
      } else {
        StubServer.send(ex, 200, INDEX, index(descriptor(NOTARY, 3), descriptor(NOTARY, 4)));
      }
    });
    // When
    final FetchResult<Referrers> all = get(client().referrers(ref("@" + DIGEST), null));
    final FetchResult<Referrers> sigs = get(client().referrers(ref("@" + DIGEST), NOTARY));
    // Then
    assertThat(all.orElseThrow().referrers()).hasSize(4);
    assertThat(all.orElseThrow().source()).isEqualTo(Referrers.Source.REFERRERS_API);
    assertThat(sigs.orElseThrow().referrers()).hasSize(3).allMatch(d -> NOTARY.equals(d.artifactType()));
    assertThat(registry.count("GET", path + "?artifactType=application%2Fvnd.cncf.notary.signature")).isEqualTo(1);
  }

  @Test
  void referrers_respectsTheReferrerCap() throws Exception {
    registry.on("GET", "/v2/repo/referrers/" + DIGEST, ex -> StubServer.send(ex, 200, INDEX,
        index(IntStream.range(0, 10).mapToObj(i -> descriptor(NOTARY, i)).toArray(String[]::new))));
    final Referrers r = get(client(Credentials.ANONYMOUS, Limits.DEFAULTS.withMaxReferrers(3))
        .referrers(ref("@" + DIGEST), null)).orElseThrow();
    assertThat(r.referrers()).hasSize(3);
    assertThat(r.truncated()).isTrue();
  }

  @Test
  void referrers_nameUnknown_isNotFound_withoutFallback() throws Exception {
    registry.on("GET", "/v2/repo/referrers/" + DIGEST, ex -> StubServer.send(ex, 404, "application/json",
        "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}"));
    final FetchResult<Referrers> r = get(client().referrers(ref("@" + DIGEST), null));
    assertThat(r).isInstanceOfSatisfying(FetchResult.NotFound.class, nf -> assertThat(nf.code())
        .isEqualTo("NAME_UNKNOWN"));
    assertThat(registry.count("GET", "/v2/repo/manifests/")).isZero();
  }

  @Test
  void referrers_plain404_fallsBackToTagSchema_andRemembersIt() throws Exception {
    // Given: the referrers API 404s (plain text); the fallback tag holds an index
    final String tag = "sha256-" + DIGEST.hex();
    registry.on("GET", "/v2/repo/manifests/" + tag, ex -> StubServer.send(ex, 200, INDEX,
        index(descriptor(NOTARY, 1), descriptor("application/spdx+json", 2))));
    final OciRegistryHttpClient c = client();
    // When
    final Referrers first = get(c.referrers(ref("@" + DIGEST), NOTARY)).orElseThrow();
    final Referrers second = get(c.referrers(ref("@" + DIGEST), null)).orElseThrow();
    // Then
    assertThat(first.source()).isEqualTo(Referrers.Source.TAG_SCHEMA);
    assertThat(first.referrers()).hasSize(1);
    assertThat(second.referrers()).hasSize(2);
    assertThat(registry.count("GET", "/v2/repo/referrers/")).isEqualTo(1);
    assertThat(registry.count("GET", "/v2/repo/manifests/" + tag)).isEqualTo(2);
  }

  @Test
  void referrers_fallbackTagMissing_isEmptyList() throws Exception {
    final Referrers r = get(client().referrers(ref("@" + DIGEST), null)).orElseThrow();
    assertThat(r.referrers()).isEmpty();
    assertThat(r.source()).isEqualTo(Referrers.Source.TAG_SCHEMA);
  }

  // --- status mapping -------------------------------------------------------------------------------------------

  @Test
  void rateLimited_carriesRetryAfter_inSecondsOrAsHttpDate() throws Exception {
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> {
      ex.getResponseHeaders().set("Retry-After", "7");
      StubServer.send(ex, 429, "application/json", "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\"}]}");
    });
    registry.on("GET", "/v2/repo/manifests/dated", ex -> {
      ex.getResponseHeaders().set("Retry-After", "Thu, 01 Jan 2026 00:01:30 GMT");
      StubServer.send(ex, 429, "text/plain", "slow down");
    });
    final FetchResult<Manifest> r = get(client().manifest(ref("@" + DIGEST)));
    assertThat(r).isInstanceOf(FetchResult.RateLimited.class);
    assertThat(((FetchResult.RateLimited<Manifest>) r).retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(r.disposition()).isEqualTo(FetchResult.Disposition.RETRYABLE);
    final FetchResult<Manifest> dated = get(client().manifest(ref(":dated")));
    assertThat(dated).isInstanceOf(FetchResult.RateLimited.class);
    assertThat(((FetchResult.RateLimited<Manifest>) dated).retryAfter()).contains(Duration.ofSeconds(90));
  }

  @Test
  void statuses_mapToTheErrorModel() throws Exception {
    registry.on("GET", "/v2/repo/manifests/e401", ex -> StubServer.send(ex, 401, "text/plain", "no"));
    registry.on("GET", "/v2/repo/manifests/e403", ex -> StubServer.send(ex, 403, "text/plain", "no"));
    registry.on("GET", "/v2/repo/manifests/e503", ex -> StubServer.send(ex, 503, "text/plain", "down"));
    registry.on("GET", "/v2/repo/manifests/e400", ex -> StubServer.send(ex, 400, "text/plain", "bad"));
    final OciRegistryHttpClient c = client();
    assertThat(get(c.manifest(ref(":e401")))).isInstanceOf(FetchResult.Unauthorized.class);
    assertThat(get(c.manifest(ref(":e403")))).isInstanceOf(FetchResult.Forbidden.class);
    assertThat(get(c.manifest(ref(":e503")))).isInstanceOf(FetchResult.Unavailable.class);
    assertThat(get(c.manifest(ref(":e400")))).isInstanceOf(FetchResult.Invalid.class);
    assertThat(get(c.manifest(ref(":missing")))).isInstanceOf(FetchResult.NotFound.class);
  }

  @Test
  void manifestRequests_acceptOciAndDockerV2Types() throws Exception {
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> StubServer.send(ex, 200, MANIFEST, BODY));
    get(client().manifest(ref("@" + DIGEST))).orElseThrow();
    assertThat(registry.seen.get(0).headers().getFirst("Accept")).contains(MANIFEST, INDEX,
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json");
  }

  // --- auth -----------------------------------------------------------------------------------------------------

  @Test
  void challengeLoop_endsAsUnauthorized_afterOneTokenAndOneRetry() throws Exception {
    // Given: a registry that refuses every token it is given
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + registry.host()
          + "/token\",service=\"reg\",scope=\"repository:repo:pull\"");
      StubServer.send(ex, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
    });
    registry.on("GET", "/token", ex -> StubServer.send(ex, 200, "application/json",
        "{\"token\":\"tok-1\",\"expires_in\":300}"));
    // When
    final FetchResult<Manifest> r = get(client(new Credentials.Basic("user", PASSWORD), Limits.DEFAULTS)
        .manifest(ref("@" + DIGEST)));
    // Then
    assertThat(r).isInstanceOf(FetchResult.Unauthorized.class);
    assertThat(registry.count("GET", "/token")).isEqualTo(1);
    assertThat(registry.count("GET", "/v2/repo/manifests/")).isEqualTo(2);
    assertThat(r.describe()).doesNotContain(PASSWORD.reveal()).doesNotContain("tok-1");
  }

  @Test
  void bearer_tokenIsCachedPerScopeUntilExpiry() throws Exception {
    // Given: a registry accepting only "Bearer good-<n>", and a token endpoint checking basic credentials
    final String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("user:" + PASSWORD.reveal())
        .getBytes(StandardCharsets.UTF_8));
    final int[] issued = {0};
    registry.on("GET", "/token", ex -> {
      if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        StubServer.send(ex, 401, "text/plain", "bad credentials");
        return;
      }
      StubServer.send(ex, 200, "application/json", "{\"access_token\":\"good-" + (++issued[0])
          + "\",\"expires_in\":60}");
    });
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> {
      final String a = ex.getRequestHeaders().getFirst("Authorization");
      if (a == null || !a.startsWith("Bearer good-")) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + registry.host()
            + "/token\",service=\"reg\",scope=\"repository:repo:pull\"");
        StubServer.send(ex, 401, "text/plain", "auth");
        return;
      }
      StubServer.send(ex, 200, MANIFEST, BODY);
    });
    final OciRegistryHttpClient c = client(new Credentials.Basic("user", PASSWORD), Limits.DEFAULTS);
    // When: two fetches, then one after expiry
    assertThat(get(c.manifest(ref("@" + DIGEST))).isFound()).isTrue();
    assertThat(get(c.manifest(ref("@" + DIGEST))).isFound()).isTrue();
    final long tokensBeforeExpiry = registry.count("GET", "/token");
    clock.advance(Duration.ofMinutes(5));
    assertThat(get(c.manifest(ref("@" + DIGEST))).isFound()).isTrue();
    // Then
    assertThat(tokensBeforeExpiry).isEqualTo(1);
    assertThat(registry.count("GET", "/token")).isEqualTo(2);
    assertThat(registry.seen.stream().filter(s -> s.pathAndQuery().startsWith("/token")).findFirst().orElseThrow()
        .pathAndQuery()).contains("service=reg").contains("scope=repository%3Arepo%3Apull");
  }

  @Test
  void bearer_wrongCredentials_isUnauthorized_withoutTheSecretInTheDetail() throws Exception {
    registry.on("GET", "/token", ex -> StubServer.send(ex, 401, "text/plain", "bad"));
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + registry.host() + "/token\"");
      StubServer.send(ex, 401, "text/plain", "auth");
    });
    final FetchResult<Manifest> r = get(client(new Credentials.Basic("user", PASSWORD), Limits.DEFAULTS)
        .manifest(ref("@" + DIGEST)));
    assertThat(r).isInstanceOf(FetchResult.Unauthorized.class);
    assertThat(r.toString() + r.describe()).doesNotContain(PASSWORD.reveal());
  }

  @Test
  void tokenRealmOnADisallowedHost_isRefusedWithoutConnecting() throws Exception {
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + evil.host() + "/token\"");
      StubServer.send(ex, 401, "text/plain", "auth");
    });
    final FetchResult<Manifest> r = get(client(new Credentials.Basic("user", PASSWORD), Limits.DEFAULTS)
        .manifest(ref("@" + DIGEST)));
    assertThat(r).isInstanceOf(FetchResult.NotAllowed.class);
    assertThat(evil.seen).isEmpty();
  }

  @Test
  void basicChallenge_isAnsweredWithCredentials() throws Exception {
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> {
      if (ex.getRequestHeaders().getFirst("Authorization") == null) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"registry\"");
        StubServer.send(ex, 401, "text/plain", "auth");
        return;
      }
      StubServer.send(ex, 200, MANIFEST, BODY);
    });
    final OciRegistryHttpClient c = client(new Credentials.Basic("user", PASSWORD), Limits.DEFAULTS);
    assertThat(get(c.manifest(ref("@" + DIGEST))).isFound()).isTrue();
    assertThat(get(c.manifest(ref("@" + DIGEST))).isFound()).isTrue();
    // After the first challenge, Basic is sent up front.
    assertThat(registry.count("GET", "/v2/repo/manifests/")).isEqualTo(3);
  }

  @Test
  void acrExchange_entraTokenToRefreshTokenToAccessToken() throws Exception {
    // Given: ACR's /oauth2/exchange and /oauth2/token
    registry.on("POST", "/oauth2/exchange", ex -> StubServer.send(ex, 200, "application/json",
        "{\"refresh_token\":\"acr-refresh\"}"));
    registry.on("POST", "/oauth2/token", ex -> StubServer.send(ex, 200, "application/json",
        "{\"access_token\":\"acr-access\"}"));
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> {
      if (!"Bearer acr-access".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"http://" + registry.host()
            + "/oauth2/token\",service=\"myreg.azurecr.io\",scope=\"repository:repo:pull\"");
        StubServer.send(ex, 401, "text/plain", "auth");
        return;
      }
      StubServer.send(ex, 200, MANIFEST, BODY);
    });
    final int[] entraCalls = {0};
    final EntraTokenSource entra = () -> {
      entraCalls[0]++;
      return CompletableFuture.completedFuture(new EntraTokenSource.AccessToken(Secret.of("entra-at"),
          clock.instant().plus(Duration.ofHours(1))));
    };
    final OciRegistryHttpClient c = client(new Credentials.AcrEntraExchange(entra, "tenant-1"), Limits.DEFAULTS);
    // When
    assertThat(get(c.manifest(ref("@" + DIGEST))).isFound()).isTrue();
    // Then
    assertThat(entraCalls[0]).isEqualTo(1);
    assertThat(registry.count("POST", "/oauth2/exchange")).isEqualTo(1);
    assertThat(registry.count("POST", "/oauth2/token")).isEqualTo(1);
  }

  // --- integrity and caps ---------------------------------------------------------------------------------------

  @Test
  void digestMismatch_isInvalid_forManifestsByDigestByTagAndForBlobs() throws Exception {
    final byte[] other = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> StubServer.send(ex, 200, MANIFEST, other));
    registry.on("GET", "/v2/repo/manifests/latest", ex -> {
      ex.getResponseHeaders().set("Docker-Content-Digest", DIGEST.toString());
      StubServer.send(ex, 200, MANIFEST, other);
    });
    registry.on("GET", "/v2/repo/blobs/" + DIGEST, ex -> StubServer.send(ex, 200, null, "x".repeat(BODY.length)));
    final OciRegistryHttpClient c = client();
    assertThat(get(c.manifest(ref("@" + DIGEST)))).isInstanceOfSatisfying(FetchResult.Invalid.class,
        i -> assertThat(i.reason()).isEqualTo("DIGEST_MISMATCH"));
    assertThat(get(c.manifest(ref(":latest")))).isInstanceOfSatisfying(FetchResult.Invalid.class,
        i -> assertThat(i.reason()).isEqualTo("DIGEST_MISMATCH"));
    assertThat(get(c.blob(ref(":x"), Descriptor.of("application/octet-stream", DIGEST, BODY.length))))
        .isInstanceOfSatisfying(FetchResult.Invalid.class, i -> assertThat(i.reason()).isEqualTo("DIGEST_MISMATCH"));
  }

  @Test
  void sha512Digests_areVerifiedToo() throws Exception {
    final Digest d512 = Digest.parse("sha512:" + "0".repeat(128)).recompute(BODY);
    registry.on("GET", "/v2/repo/manifests/" + d512, ex -> StubServer.send(ex, 200, MANIFEST, BODY));
    final Manifest m = get(client().manifest(ref("@" + d512))).orElseThrow();
    assertThat(m.descriptor().digest()).isEqualTo(d512);
  }

  @Test
  void oversizeBody_isInvalid_whetherDeclaredOrStreamed() throws Exception {
    final byte[] big = new byte[4096];
    registry.on("GET", "/v2/repo/manifests/declared", ex -> StubServer.send(ex, 200, MANIFEST, big));
    registry.on("GET", "/v2/repo/manifests/streamed", ex -> {
      ex.getResponseHeaders().set("Content-Type", MANIFEST);
      ex.sendResponseHeaders(200, 0); // chunked: no Content-Length
      try (OutputStream o = ex.getResponseBody()) {
        for (int i = 0; i < 8; i++) {
          o.write(new byte[512]);
          o.flush();
        }
      } catch (java.io.IOException e) {
        // the client hung up after the cap: expected
      }
    });
    final OciRegistryHttpClient c = client(Credentials.ANONYMOUS, Limits.DEFAULTS.withMaxManifestBytes(1024));
    assertThat(get(c.manifest(ref(":declared")))).isInstanceOfSatisfying(FetchResult.Invalid.class,
        i -> assertThat(i.reason()).isEqualTo("OVERSIZE"));
    assertThat(get(c.manifest(ref(":streamed")))).isInstanceOfSatisfying(FetchResult.Invalid.class,
        i -> assertThat(i.reason()).isEqualTo("OVERSIZE"));
  }

  @Test
  void blobLargerThanCap_isRefusedBeforeAnyRequest() throws Exception {
    final FetchResult<byte[]> r = get(client(Credentials.ANONYMOUS, Limits.DEFAULTS.withMaxBlobBytes(100))
        .blob(ref(":x"), Descriptor.of("application/jose+json", DIGEST, 101)));
    assertThat(r).isInstanceOfSatisfying(FetchResult.Invalid.class, i -> assertThat(i.reason()).isEqualTo("OVERSIZE"));
    assertThat(registry.seen).isEmpty();
  }

  @Test
  void truncatedBody_isUnavailable() throws Exception {
    registry.on("GET", "/v2/repo/manifests/" + DIGEST, ex -> {
      ex.getResponseHeaders().set("Content-Type", MANIFEST);
      ex.sendResponseHeaders(200, BODY.length);
      final OutputStream o = ex.getResponseBody();
      o.write(BODY, 0, BODY.length / 2);
      o.flush();
      // Close the connection mid-body.
      throw new java.io.IOException("simulated connection drop");
    });
    final FetchResult<Manifest> r = get(client().manifest(ref("@" + DIGEST)));
    assertThat(r).isInstanceOf(FetchResult.Unavailable.class);
    assertThat(r.describe()).contains("bytes received");
  }

  @Test
  void malformedManifest_isInvalid() throws Exception {
    final byte[] junk = "not json at all".getBytes(StandardCharsets.UTF_8);
    registry.on("GET", "/v2/repo/manifests/junk", ex -> StubServer.send(ex, 200, MANIFEST, junk));
    assertThat(get(client().manifest(ref(":junk")))).isInstanceOfSatisfying(FetchResult.Invalid.class,
        i -> assertThat(i.reason()).isEqualTo("MALFORMED"));
  }

  @Test
  void requestTimeout_isUnavailable() throws Exception {
    registry.on("GET", "/v2/repo/manifests/slow", ex -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      StubServer.send(ex, 200, MANIFEST, BODY);
    });
    final FetchResult<Manifest> r = get(client(Credentials.ANONYMOUS,
        Limits.DEFAULTS.withRequestTimeout(Duration.ofMillis(300))).manifest(ref(":slow")));
    assertThat(r).isInstanceOf(FetchResult.Unavailable.class);
    assertThat(r.describe()).contains("timed out");
  }

  // --- redirects ------------------------------------------------------------------------------------------------

  @Test
  void redirectToAllowedHost_isFollowed_withoutForwardingCredentials() throws Exception {
    registry.on("GET", "/v2/repo/blobs/" + DIGEST, ex -> {
      ex.getResponseHeaders().set("Location", "http://" + storage.host() + "/signed/blob?sig=abc");
      StubServer.send(ex, 307, null, new byte[0]);
    });
    storage.on("GET", "/signed/blob", ex -> StubServer.send(ex, 200, "application/octet-stream", BODY));
    registry.on("GET", "/v2/repo/manifests/warmup", ex -> {
      if (ex.getRequestHeaders().getFirst("Authorization") == null) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"r\"");
        StubServer.send(ex, 401, "text/plain", "auth");
        return;
      }
      StubServer.send(ex, 200, MANIFEST, BODY);
    });
    final OciRegistryHttpClient c = client(new Credentials.Basic("user", PASSWORD), Limits.DEFAULTS);
    get(c.manifest(ref(":warmup"))).orElseThrow(); // Basic now sent up front to the registry
    final byte[] blob = get(c.blob(ref(":x"), Descriptor.of("application/octet-stream", DIGEST, BODY.length)))
        .orElseThrow();
    assertThat(blob).isEqualTo(BODY);
    assertThat(storage.seen).hasSize(1);
    assertThat(storage.seen.get(0).headers().getFirst("Authorization")).isNull();
    assertThat(registry.seen.stream().filter(s -> s.pathAndQuery().startsWith("/v2/repo/blobs/")).findFirst()
        .orElseThrow().headers().getFirst("Authorization")).startsWith("Basic ");
  }

  @Test
  void redirectToDisallowedHost_isRefusedWithoutConnecting() throws Exception {
    registry.on("GET", "/v2/repo/blobs/" + DIGEST, ex -> {
      ex.getResponseHeaders().set("Location", "http://" + evil.host() + "/steal");
      StubServer.send(ex, 302, null, new byte[0]);
    });
    final FetchResult<byte[]> r = get(client().blob(ref(":x"), Descriptor.of("application/octet-stream", DIGEST,
        BODY.length)));
    assertThat(r).isInstanceOfSatisfying(FetchResult.NotAllowed.class,
        n -> assertThat(n.host()).isEqualTo(evil.host()));
    assertThat(evil.seen).isEmpty();
  }

  @Test
  void paginationLinkToADisallowedHost_isRefusedWithoutConnecting() throws Exception {
    registry.on("GET", "/v2/repo/referrers/" + DIGEST, ex -> {
      ex.getResponseHeaders().add("Link", "<http://" + evil.host() + "/v2/repo/referrers/x?last=1>; rel=\"next\"");
      StubServer.send(ex, 200, INDEX, index(descriptor(NOTARY, 1)));
    });
    assertThat(get(client().referrers(ref("@" + DIGEST), null))).isInstanceOf(FetchResult.NotAllowed.class);
    assertThat(evil.seen).isEmpty();
  }

  // --- writes ---------------------------------------------------------------------------------------------------

  private static byte[] referrerWithSubject() {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"artifactType\":\"" + NOTARY
        + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":"
        + "\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},\"layers\":[],"
        + "\"subject\":{\"mediaType\":\"" + MANIFEST + "\",\"digest\":\"" + DIGEST + "\",\"size\":" + BODY.length
        + "}}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void pushReferrer_registryWithReferrersApi_leavesTheTagSchemaAlone() throws Exception {
    final byte[] m = referrerWithSubject();
    registry.on("PUT", "/v2/repo/manifests/" + Digest.sha256(m), ex -> {
      ex.getResponseHeaders().set("OCI-Subject", DIGEST.toString());
      ex.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(m).toString());
      StubServer.send(ex, 201, null, new byte[0]);
    });
    assertThat(get(client().pushReferrer(ref(":x"), MANIFEST, m)).orElseThrow().digest()).isEqualTo(Digest.sha256(m));
    assertThat(registry.count("GET", "/v2/repo/manifests/sha256-")).isZero();
    assertThat(registry.count("PUT", "/v2/repo/manifests/sha256-")).isZero();
  }

  @Test
  void pushReferrer_withoutOciSubject_writesTheFallbackIndex() throws Exception {
    final byte[] m = referrerWithSubject();
    final java.util.concurrent.atomic.AtomicReference<String> index = new java.util.concurrent.atomic.AtomicReference<>();
    registry.on("PUT", "/v2/repo/manifests/" + Digest.sha256(m), ex -> StubServer.send(ex, 201, null, new byte[0]));
    registry.on("PUT", "/v2/repo/manifests/" + DIGEST.referrersTag(), ex -> {
      index.set(ex.getRequestHeaders().getFirst("Content-Type"));
      StubServer.send(ex, 201, null, new byte[0]);
    });
    assertThat(get(client().pushReferrer(ref(":x"), MANIFEST, m)).isFound()).isTrue();
    assertThat(registry.count("GET", "/v2/repo/manifests/" + DIGEST.referrersTag())).isEqualTo(1);
    assertThat(index.get()).isEqualTo(INDEX);
  }

  @Test
  void pushManifest_byDigest_refusesBytesThatDoNotMatch() throws Exception {
    assertThat(get(client().pushManifest(ref("@" + Digest.sha256(new byte[1])), MANIFEST, BODY)))
        .isInstanceOfSatisfying(FetchResult.Invalid.class, i -> assertThat(i.reason()).isEqualTo("DIGEST_MISMATCH"));
    assertThat(registry.seen).isEmpty();
  }

  // --- HEAD -----------------------------------------------------------------------------------------------------

  @Test
  void resolve_headNotSupported_fallsBackToGet() throws Exception {
    registry.on("HEAD", "/v2/repo/manifests/v1", ex -> StubServer.send(ex, 405, "text/plain", new byte[0]));
    registry.on("GET", "/v2/repo/manifests/v1", ex -> StubServer.send(ex, 200, MANIFEST, BODY));
    final Descriptor d = get(client().resolve(ref(":v1"))).orElseThrow();
    assertThat(d.digest()).isEqualTo(DIGEST);
    assertThat(d.size()).isEqualTo(BODY.length);
    assertThat(registry.count("HEAD", "/v2/repo/manifests/v1")).isEqualTo(1);
    assertThat(registry.count("GET", "/v2/repo/manifests/v1")).isEqualTo(1);
  }

  @Test
  void resolve_usesHeadDigestHeader_whenPresent() throws Exception {
    registry.on("HEAD", "/v2/repo/manifests/v2", ex -> {
      ex.getResponseHeaders().set("Docker-Content-Digest", DIGEST.toString());
      StubServer.send(ex, 200, MANIFEST, BODY);
    });
    assertThat(get(client().resolve(ref(":v2"))).orElseThrow().digest()).isEqualTo(DIGEST);
    assertThat(registry.count("GET", "/")).isZero();
  }

  // --- allowlist ------------------------------------------------------------------------------------------------

  @Test
  void hostNotOnAllowlist_isRefusedImmediately_withoutDnsOrConnection() throws Exception {
    // .invalid never resolves: a lookup or connection attempt would give Unavailable, not NotAllowed.
    final Reference r = Reference.parse("not-allowed.invalid/repo@" + DIGEST);
    final OciRegistryHttpClient c = client();
    final List<CompletableFuture<? extends FetchResult<?>>> all = List.of(c.manifest(r), c.resolve(r),
        c.referrers(r, null), c.blob(r, Descriptor.of("x", DIGEST, 1)), c.pushBlob(r, "x", BODY),
        c.pushManifest(r, MANIFEST, BODY));
    for (CompletableFuture<? extends FetchResult<?>> f : all) {
      assertThat(f).isDone();
      assertThat(f.get()).isInstanceOfSatisfying(FetchResult.NotAllowed.class,
          n -> assertThat(n.host()).isEqualTo("not-allowed.invalid"));
    }
    assertThat(registry.seen).isEmpty();
  }

  @Test
  void plainHttp_isRefusedForRegistriesNotMarkedInsecure() throws Exception {
    final RegistryEntry secure = RegistryEntry.of(registry.host(), Credentials.ANONYMOUS);
    final Transport t = new Transport(java.net.http.HttpClient.newHttpClient(), clock, Limits.DEFAULTS);
    final FetchResult<Transport.Response> r = t.raw(secure, "GET", java.net.URI.create(registry.url() + "/v2/"),
        Map.of(), null, 1024).get(10, TimeUnit.SECONDS);
    assertThat(r).isInstanceOf(FetchResult.NotAllowed.class);
    assertThat(registry.seen).isEmpty();
  }

  @Test
  void clientRefusesAnHttpClientThatFollowsRedirectsItself() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OciRegistryHttpClient.create(RegistryConfig.of(),
        clock, java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
            .build())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configAndCredentials_neverPrintSecrets() {
    final RegistryEntry e = RegistryEntry.insecure(registry.host(), new Credentials.Basic("user", PASSWORD));
    assertThat(e.toString() + RegistryConfig.of(e) + client(e.credentials(), Limits.DEFAULTS))
        .doesNotContain(PASSWORD.reveal()).contains("****");
    assertThat(Optional.of(new Credentials.RefreshToken(Secret.of("rt-secret"))).toString())
        .doesNotContain("rt-secret");
  }
}
