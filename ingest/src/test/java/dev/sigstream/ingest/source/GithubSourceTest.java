package dev.sigstream.ingest.source;

import static dev.sigstream.ingest.source.Results.accepted;
import static dev.sigstream.ingest.source.Results.key;
import static dev.sigstream.ingest.source.Results.rejected;
import static dev.sigstream.ingest.source.Results.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.schemas.avro.ArtifactPushed;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class GithubSourceTest {

  static final String SECRET = "github-webhook-secret-0123456789";

  private final Source github = new Source("gh", SourceType.GITHUB, Authenticators.hmacSha256(SECRET), List.of("ghcr.io"));

  static String sign(final String secret, final byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(Authenticators.hmac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), body));
  }

  private Req delivery(final String body, final String signature) {
    return Req.post("application/json", body).header("X-GitHub-Event", "package").header("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
        .header("X-Hub-Signature-256", signature);
  }

  @Test
  void hmac_knownAnswerFromGithubDocs() {
    // github/docs validating-webhook-deliveries.md
    assertThat(sign("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    final Source s = new Source("gh", SourceType.GITHUB, Authenticators.hmacSha256("It's a Secret to Everybody"), List.of("ghcr.io"));
    final var r = rejected(s.handle(delivery("Hello, World!", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17").build()),
        SourceResult.Reason.MALFORMED_JSON);
    assertThat(r.message()).as("authenticated, then refused as not JSON").contains("JSON");
  }

  @Test
  void signedPackagePublished_becomesGhcrPush() {
    final String body = Req.example("github-package-published-docker-octokit.json");
    final ArtifactPushed e = single(github.handle(delivery(body, sign(SECRET, body.getBytes(StandardCharsets.UTF_8))).build()));
    assertThat(key(e)).isEqualTo("ghcr.io/codertocat/hello-world-npm@sha256:3da1996a8115d7616457760d9920b815241d0a03b34cf5f04e9a0e9d8de37498");
    assertThat(e.getArtifact().getTag()).as("empty tag name").isNull();
    assertThat(e.getArtifact().getMediaType()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
    assertThat(e.getEventId()).isEqualTo("ghcr:72d3162e-cc78-11e3-81ab-4c9367dc0958");
    assertThat(e.getActor()).isEqualTo("Codertocat");
    assertThat(accepted(github.handle(delivery(body, sign(SECRET, body.getBytes(StandardCharsets.UTF_8))).build())).deliveryId())
        .isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
  }

  @Test
  void forgedSignatures_401() {
    final String body = Req.example("github-package-published-docker-octokit.json");
    final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    rejected(github.handle(delivery(body, sign("wrong-secret-0123456789", bytes)).build()), SourceResult.Reason.BAD_SIGNATURE);
    // signature of another body (a replayed signature on a tampered payload)
    rejected(github.handle(delivery(body.replace("hello-world-npm", "hello-world-evil"), sign(SECRET, bytes)).build()),
        SourceResult.Reason.BAD_SIGNATURE);
    rejected(github.handle(delivery(body, "sha1=" + "0".repeat(40)).build()), SourceResult.Reason.BAD_SIGNATURE);
    rejected(github.handle(delivery(body, "sha256=" + "zz".repeat(32)).build()), SourceResult.Reason.BAD_SIGNATURE);
    rejected(github.handle(delivery(body, null).build()), SourceResult.Reason.UNAUTHENTICATED);
  }

  @Test
  void pingAndOtherEvents_ignored() {
    final String ping = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}";
    final var a = accepted(github.handle(delivery(ping, sign(SECRET, ping.getBytes(StandardCharsets.UTF_8)))
        .header("X-GitHub-Event", "ping").build()));
    assertThat(a.events()).isEmpty();
    assertThat(a.ignored()).isEqualTo(1);
  }

  @Test
  void registryPackageEvent_sameShapeUnderOtherKey() {
    final String body = Req.example("github-package-published-docker-octokit.json").replaceFirst("\"package\"", "\"registry_package\"");
    final ArtifactPushed e = single(github.handle(delivery(body, sign(SECRET, body.getBytes(StandardCharsets.UTF_8)))
        .header("X-GitHub-Event", "registry_package").build()));
    assertThat(e.getAttributes()).containsEntry("githubEvent", "registry_package");
  }
}
