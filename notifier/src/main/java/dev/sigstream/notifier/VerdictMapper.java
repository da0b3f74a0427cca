package dev.sigstream.notifier;

import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.schemas.avro.SignatureResult;
import dev.sigstream.schemas.avro.Verdict;
import java.util.Optional;

/** Maps the Avro verdict to the notifier's plain value at the consumer's edge. Strings are capped: senders control them. */
final class VerdictMapper {

  private static final int MAX = 1024;

  private VerdictMapper() {}

  static VerdictView toView(final String key, final Verdict v) {
    final var a = v.getArtifact();
    Optional<String> signer = Optional.empty();
    for (final SignatureResult s : v.getSignatures()) {
      if (s.getSignerSubject() != null) {
        signer = Optional.of(cap(s.getSignerSubject()));
        break;
      }
    }
    final String registry = cap(a.getRegistry());
    final String repository = cap(a.getRepository());
    final Optional<String> digest = Optional.ofNullable(a.getDigest()).map(VerdictMapper::cap);
    final String k = key != null ? cap(key) : registry + "/" + repository + digest.map(d -> "@" + d).orElse("");
    return new VerdictView(
        k, cap(v.getEventId()), registry, repository, digest, Optional.ofNullable(a.getTag()).map(VerdictMapper::cap),
        v.getArtifactClass().name(), VerdictView.Outcome.valueOf(v.getOutcome().name()), v.getReasonCode().name(),
        cap(v.getDetail() == null ? "" : v.getDetail()),
        Optional.ofNullable(v.getPolicy()).map(p -> cap(p.getStatement())), signer, v.getDecidedAt());
  }

  private static String cap(final CharSequence s) {
    final String x = s.toString();
    return x.length() <= MAX ? x : x.substring(0, MAX);
  }
}
