package dev.sigstream.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.channel.teams.AdaptiveCards;
import dev.sigstream.notifier.channel.teams.TeamsChannel;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TeamsChannelTest {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @Test
  void postsTheWorkflowsEnvelope_andTreats202AsSuccess() {
    // Given
    wm.stubFor(post(urlPathEqualTo("/workflows/abc/triggers/manual/paths/invoke")).willReturn(aResponse().withStatus(202)));
    final TeamsChannel ch = new TeamsChannel(wm.baseUrl() + "/workflows/abc/triggers/manual/paths/invoke?api-version=1", Fixtures.http(),
        Fixtures.render());

    // When
    final DeliveryResult r = ch.send(Fixtures.step(Step.Action.OPEN, Fixtures.EVIL_REPO, Optional.empty()), 1, false);

    // Then
    assertThat(r).isInstanceOf(DeliveryResult.Delivered.class);
    final var req = wm.findAll(postRequestedFor(urlPathEqualTo("/workflows/abc/triggers/manual/paths/invoke"))).get(0);
    final var body = Fixtures.json(req.getBodyAsString());
    Fixtures.assertSameShape(Fixtures.example("teams-workflows-adaptive-card-envelope.json"), body, Set.of());
    assertThat(AdaptiveCards.validate(body)).isEmpty();
    final var card = body.path("attachments").get(0).path("content");
    assertThat(card.path("body").get(1).path("type").asText()).isEqualTo("TextBlock");
    assertThat(card.path("body").get(1).path("text").asText()).contains("**Artifact:**", "**Signer:**", "**Policy:**");
    assertThat(card.path("actions").get(0).path("type").asText()).isEqualTo("Action.OpenUrl");
    // Markdown in the repository name is escaped, mentions are broken
    assertThat(req.getBodyAsString()).contains("\\\\[x\\\\]").doesNotContain("@admins");
  }

  @Test
  void invalidCards_areCaughtLocally() {
    final ObjectNode env = AdaptiveCards.envelope(Fixtures.open(), Fixtures.render());
    ((ObjectNode) env.path("attachments").get(0).path("content")).put("type", "MessageCard");
    assertThat(AdaptiveCards.validate(env)).contains("Property 'type' must be 'AdaptiveCard'");
  }

  @Test
  void throttlingRetries_andOther4xxArePermanent() {
    final TeamsChannel ch = new TeamsChannel(wm.baseUrl() + "/wf", Fixtures.http(), Fixtures.render());
    wm.stubFor(post("/wf").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Retry.class);
    wm.stubFor(post("/wf").willReturn(aResponse().withStatus(400).withBody("{\"error\":{\"code\":\"InvalidRequestContent\"}}")));
    assertThat(ch.send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Permanent.class);
  }
}
