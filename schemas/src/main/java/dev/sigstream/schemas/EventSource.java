package dev.sigstream.schemas;

import java.util.Arrays;
import java.util.Optional;

/** The webhook sources that produce {@code ArtifactPushed.source}, with their wire names. */
public enum EventSource {
  ACR_EVENTGRID("acr-eventgrid"),
  ACR_WEBHOOK("acr-webhook"),
  DISTRIBUTION("distribution"),
  HARBOR("harbor"),
  GHCR("ghcr"),
  DOCKERHUB("dockerhub"),
  QUAY("quay"),
  ECR("ecr"),
  GAR("gar"),
  ZOT("zot"),
  CLOUDEVENTS("cloudevents"),
  MANUAL("manual"),
  CLI("cli");

  private final String wireName;

  EventSource(final String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<EventSource> fromWireName(final String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }
}
