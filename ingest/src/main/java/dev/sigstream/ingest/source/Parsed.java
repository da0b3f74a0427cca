package dev.sigstream.ingest.source;

import java.util.ArrayList;
import java.util.List;

/** What a parser found in a body: pushes, and counts of what it skipped. Local to one request. */
final class Parsed {
  final List<Push> pushes = new ArrayList<>();
  int ignored;
  int deleted;
  String deliveryId;
  SourceResult.Handshake handshake;

  static Parsed handshake(final SourceResult.Handshake h) {
    final Parsed p = new Parsed();
    p.handshake = h;
    return p;
  }

  void addAll(final Parsed other) {
    pushes.addAll(other.pushes);
    ignored += other.ignored;
    deleted += other.deleted;
  }
}
