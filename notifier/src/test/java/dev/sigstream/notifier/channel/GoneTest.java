package dev.sigstream.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.channel.github.GitHubIssuesChannel;
import dev.sigstream.notifier.channel.slack.SlackApiChannel;
import dev.sigstream.notifier.channel.slack.SlackWebhookChannel;
import dev.sigstream.notifier.channel.teams.TeamsChannel;
import dev.sigstream.notifier.channel.webhook.StandardWebhookSigner;
import dev.sigstream.notifier.channel.webhook.WebhookChannel;
import dev.sigstream.notifier.delivery.DeliveryResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which answers mean "the target is gone" (the destination is disabled), per type, as docs/notifier.md lists them. */
class GoneTest {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static boolean gone(final DeliveryResult r) {
    return r instanceof DeliveryResult.Permanent p && p.gone();
  }

  @Test
  void webhook_410IsGone_other4xxAreOnlyPermanent() {
    final WebhookChannel ch = new WebhookChannel(wm.baseUrl() + "/h", new StandardWebhookSigner(Fixtures.WEBHOOK_SECRET), Fixtures.http(),
        Fixtures.render());
    wm.stubFor(post("/h").willReturn(aResponse().withStatus(410)));
    assertThat(gone(ch.send(Fixtures.open(), 1, false))).isTrue();
    wm.stubFor(post("/h").willReturn(aResponse().withStatus(404)));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Permanent.class, p -> assertThat(p.gone()).isFalse());
  }

  @Test
  void slackWebhook_revokedUrlAndArchivedChannelAreGone_badPayloadIsNot() {
    final SlackWebhookChannel ch = new SlackWebhookChannel(wm.baseUrl() + "/s", Fixtures.http(), Fixtures.render());
    wm.stubFor(post("/s").willReturn(aResponse().withStatus(404).withBody("no_team")));
    assertThat(gone(ch.send(Fixtures.open(), 1, false))).isTrue();
    wm.stubFor(post("/s").willReturn(aResponse().withStatus(410).withBody("channel_is_archived")));
    assertThat(gone(ch.send(Fixtures.open(), 1, false))).isTrue();
    wm.stubFor(post("/s").willReturn(aResponse().withStatus(400).withBody("invalid_payload")));
    assertThat(gone(ch.send(Fixtures.open(), 1, false))).isFalse();
  }

  @Test
  void slackApi_revokedTokenOrMissingChannelIsGone_notInChannelIsNot() {
    final SlackApiChannel ch = new SlackApiChannel(wm.baseUrl() + "/api", "C1", "xoxb-t", Fixtures.http(), Fixtures.render());
    for (final String err : List.of("invalid_auth", "token_revoked", "account_inactive", "channel_not_found", "is_archived")) {
      wm.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":false,\"error\":\"" + err + "\"}")));
      assertThat(gone(ch.send(Fixtures.open(), 1, false))).as(err).isTrue();
    }
    wm.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":false,\"error\":\"not_in_channel\"}")));
    assertThat(gone(ch.send(Fixtures.open(), 1, false))).isFalse();
  }

  @Test
  void github410_issuesDisabled_isGone_422IsNot() {
    final GitHubIssuesChannel ch = new GitHubIssuesChannel(wm.baseUrl(), "acme/security", "t", List.of(), Fixtures.http(), Fixtures.render());
    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(410).withBody("{\"message\":\"Issues are disabled\"}")));
    assertThat(gone(ch.send(Fixtures.open(), 1, false))).isTrue();
    wm.stubFor(post("/repos/acme/security/issues").willReturn(aResponse().withStatus(422)));
    assertThat(gone(ch.send(Fixtures.open(), 1, false))).isFalse();
  }

  @Test
  void teams410IsGone_400IsNot() {
    final TeamsChannel ch = new TeamsChannel(wm.baseUrl() + "/wf", Fixtures.http(), Fixtures.render());
    wm.stubFor(post("/wf").willReturn(aResponse().withStatus(410)));
    assertThat(gone(ch.send(Fixtures.open(), 1, false))).isTrue();
    wm.stubFor(post("/wf").willReturn(aResponse().withStatus(400)));
    assertThat(gone(ch.send(Fixtures.open(), 1, false))).isFalse();
  }
}
