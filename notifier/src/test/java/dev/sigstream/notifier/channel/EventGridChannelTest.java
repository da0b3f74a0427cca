package dev.sigstream.notifier.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.sigstream.notifier.channel.eventgrid.EventGridChannel;
import dev.sigstream.notifier.channel.webhook.WebhookChannel;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Event Grid through the SDK's EventGridPublisherClient. The SDK refuses to send a key credential over plain HTTP,
 * so WireMock serves HTTPS with its self-signed certificate, trusted by this test's client only.
 */
class EventGridChannelTest {

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().dynamicHttpsPort()).build();

  static HttpClient trustingClient() throws Exception {
    // An X509ExtendedTrustManager (not a plain X509TrustManager, which JSSE wraps with a hostname check) that
    // accepts WireMock's self-signed "localhost"-less certificate.
    final TrustManager[] all = {new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(final X509Certificate[] c, final String a) {}

      @Override
      public void checkClientTrusted(final X509Certificate[] c, final String a, final java.net.Socket s) {}

      @Override
      public void checkClientTrusted(final X509Certificate[] c, final String a, final javax.net.ssl.SSLEngine e) {}

      @Override
      public void checkServerTrusted(final X509Certificate[] c, final String a, final java.net.Socket s) {}

      @Override
      public void checkServerTrusted(final X509Certificate[] c, final String a, final javax.net.ssl.SSLEngine e) {}

      @Override
      public void checkServerTrusted(final X509Certificate[] c, final String a) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }};
    final SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, all, null);
    final SSLParameters params = new SSLParameters();
    params.setEndpointIdentificationAlgorithm(null);
    return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(ssl).sslParameters(params))
        .responseTimeout(Duration.ofSeconds(5)).build();
  }

  private EventGridChannel channel() throws Exception {
    return new EventGridChannel(wm.getRuntimeInfo().getHttpsBaseUrl() + "/api/events", "topic-key", trustingClient(), Fixtures.render());
  }

  @Test
  void publishesACloudEventWithTheSasKey() throws Exception {
    // Given
    wm.stubFor(post(urlPathEqualTo("/api/events")).willReturn(aResponse().withStatus(200)));
    final Step s = Fixtures.open();

    // When
    final DeliveryResult r = channel().send(s, 1, false);

    // Then
    assertThat(r).isInstanceOf(DeliveryResult.Delivered.class);
    wm.verify(postRequestedFor(urlPathEqualTo("/api/events")).withHeader("aeg-sas-key", equalTo("topic-key"))
        .withHeader("Content-Type", equalTo("application/cloudevents-batch+json; charset=utf-8")));
    final var req = wm.findAll(postRequestedFor(urlPathEqualTo("/api/events"))).get(0);
    assertThat(req.queryParameter("api-version").isPresent()).isTrue();
    final var events = Fixtures.json(req.getBodyAsString());
    assertThat(events.isArray()).isTrue();
    final var ev = events.get(0);
    assertThat(ev.path("specversion").asText()).isEqualTo("1.0");
    assertThat(ev.path("type").asText()).isEqualTo("dev.sigstream.verdict.open");
    assertThat(ev.path("source").asText()).isEqualTo("/sigstream/notifier");
    assertThat(ev.path("id").asText()).isEqualTo(WebhookChannel.messageId(s));
    assertThat(ev.path("subject").asText()).isEqualTo(s.verdict().key());
    assertThat(ev.path("data").path("dedupeKey").asText()).isEqualTo(s.key().value());
  }

  @Test
  void classifiesEventGridAnswers() throws Exception {
    wm.stubFor(post(urlPathEqualTo("/api/events")).willReturn(aResponse().withStatus(401)
        .withBody("{\"error\":{\"code\":\"Unauthorized\",\"message\":\"bad key\"}}")));
    assertThat(channel().send(Fixtures.open(), 1, false)).isInstanceOfSatisfying(DeliveryResult.Permanent.class, p -> assertThat(p.status()).isEqualTo(401));
    wm.stubFor(post(urlPathEqualTo("/api/events")).willReturn(aResponse().withStatus(503)));
    assertThat(channel().send(Fixtures.open(), 1, false)).isInstanceOf(DeliveryResult.Retry.class);
  }
}
