package dev.sigstream.verifier;

import dev.sigstream.schemas.Topics;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.verifier.core.Reason;
import dev.sigstream.verifier.topology.ArtifactCheck;
import dev.sigstream.verifier.topology.StreamPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A verifier instance in a process of its own, for the test that kills one with SIGKILL: the real service and
 * topology over a scripted check that takes 50-150 ms per artifact and writes a detail unique to each verification
 * (so a second verification of an artifact can never pass for the first).
 *
 * <p>Args: bootstrap servers, topic prefix, partitions, application id, state directory.
 */
public final class ScriptedVerifierMain {

  private ScriptedVerifierMain() {}

  /** The check both the child process and the test's successor instance use. */
  static ArtifactCheck slowCheck() {
    return ref -> CompletableFuture.supplyAsync(() -> new ArtifactCheck.Decided(
        new ArtifactReport(new ArtifactReport.ArtifactId(ref.registry(), ref.repository(), ref.digest().toString(),
            null, null, null), null, null, ArtifactReport.Outcome.PASS, Reason.OK, "scripted " + UUID.randomUUID(),
            List.of(), null, List.of(), null, Instant.now())), CompletableFuture.delayedExecutor(
        50 + (ref.digest().hashCode() & 0x7f) % 100, TimeUnit.MILLISECONDS));
  }

  public static void main(final String[] args) throws Exception {
    final Topics topics = Topics.withPrefix(args[1], Integer.parseInt(args[2]));
    final VerifierService.Settings settings = new VerifierService.Settings(args[3], Path.of(args[4]), topics,
        StreamPolicy.DEFAULTS, 1, "it");
    final VerifierService service = VerifierService.start(settings, slowCheck(), args[0], new SimpleMeterRegistry());
    System.out.println("started " + service.running());
    Thread.sleep(Long.MAX_VALUE);
  }
}
