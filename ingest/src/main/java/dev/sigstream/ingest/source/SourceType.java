package dev.sigstream.ingest.source;

import dev.sigstream.schemas.EventSource;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/** The webhook formats ingest understands, by the name used in configuration. */
public enum SourceType {
  DISTRIBUTION("distribution", EventSource.DISTRIBUTION, DistributionParser::new),
  EVENTGRID("eventgrid", EventSource.ACR_EVENTGRID, EventGridParser::new),
  ACR_WEBHOOK("acr-webhook", EventSource.ACR_WEBHOOK, AcrWebhookParser::new),
  HARBOR("harbor", EventSource.HARBOR, HarborParser::new),
  GITHUB("github", EventSource.GHCR, GithubParser::new),
  DOCKERHUB("dockerhub", EventSource.DOCKERHUB, DockerHubParser::new),
  QUAY("quay", EventSource.QUAY, QuayParser::new),
  ECR("ecr", EventSource.ECR, EcrParser::new),
  GAR("gar", EventSource.GAR, GarPubSubParser::new),
  ZOT("zot", EventSource.ZOT, ZotParser::new),
  CLOUDEVENTS("cloudevents", EventSource.CLOUDEVENTS, CloudEventsParser::new);

  private final String configName;
  private final EventSource eventSource;
  private final Supplier<SourceParser> parser;

  SourceType(final String configName, final EventSource eventSource, final Supplier<SourceParser> parser) {
    this.configName = configName;
    this.eventSource = eventSource;
    this.parser = parser;
  }

  public String configName() {
    return configName;
  }

  /** The value written to {@code ArtifactPushed.source}. */
  public EventSource eventSource() {
    return eventSource;
  }

  SourceParser newParser() {
    return parser.get();
  }

  public static Optional<SourceType> fromConfigName(final String name) {
    return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
  }

  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(SourceType::configName).toList());
  }
}
