package dev.sigstream.notifier.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notifier.Verdicts;
import dev.sigstream.notifier.route.Step.Action;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final LifecyclePolicy POLICY = new LifecyclePolicy(Duration.ofHours(4), Duration.ofHours(24), Duration.ZERO);
  static final String DEST = "gh";

  private Optional<LifecycleState> state = Optional.empty();

  /** Runs one verdict through decide + after (every step delivered, remote id "42" for creates) and returns the actions. */
  private List<Action> feed(final Outcome outcome, final ReasonCode reason, final Instant at) {
    final VerdictView v = Verdicts.view("prod/app", outcome, reason, at);
    final Optional<Notification> routed = new Router(List.of(new Rule("r", Match.any(),
        List.of(new Rule.Target(DEST, Severity.ERROR, TemplateSpec.NONE)), false))).route(v).stream().findFirst();
    final List<Step> steps = Lifecycle.decide(state, v, routed, DEST, POLICY, at);
    for (final Step s : steps) {
      state = Lifecycle.after(state, s, true, s.action() == Action.OPEN ? Optional.of("42") : Optional.empty(), at);
    }
    return steps.stream().map(Step::action).toList();
  }

  @Test
  void failFailPassFail_opensOnce_remindsNever_resolves_thenReopens() {
    assertThat(feed(Outcome.FAIL, ReasonCode.CERT_REVOKED, T0)).containsExactly(Action.OPEN);
    assertThat(feed(Outcome.FAIL, ReasonCode.CERT_REVOKED, T0.plusSeconds(60))).isEmpty();
    assertThat(feed(Outcome.PASS, ReasonCode.OK, T0.plusSeconds(120))).containsExactly(Action.RESOLVE);
    assertThat(state.orElseThrow().status()).isEqualTo(LifecycleState.Status.RESOLVED);
    assertThat(feed(Outcome.FAIL, ReasonCode.CERT_REVOKED, T0.plusSeconds(180))).containsExactly(Action.REOPEN);
    assertThat(state.orElseThrow().remoteId()).contains("42");
    assertThat(state.orElseThrow().status()).isEqualTo(LifecycleState.Status.OPEN);
  }

  @Test
  void unchangedFailure_isRemindedOnlyAfterTheRepeatInterval() {
    feed(Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0);
    assertThat(feed(Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0.plus(Duration.ofHours(3)))).isEmpty();
    assertThat(feed(Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0.plus(Duration.ofHours(4)))).containsExactly(Action.REMIND);
    assertThat(feed(Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0.plus(Duration.ofHours(5)))).isEmpty();
  }

  @Test
  void failureAfterTheReopenWindow_opensANewTicket() {
    feed(Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0);
    feed(Outcome.PASS, ReasonCode.OK, T0.plusSeconds(1));
    assertThat(feed(Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0.plus(Duration.ofDays(2)))).containsExactly(Action.OPEN);
  }

  @Test
  void differentFailureClass_resolvesTheOldTicketAndOpensANewOne() {
    feed(Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0);
    assertThat(feed(Outcome.FAIL, ReasonCode.CERT_REVOKED, T0.plusSeconds(5))).containsExactly(Action.RESOLVE, Action.OPEN);
    assertThat(state.orElseThrow().failureClass()).isEqualTo("CERT_REVOKED");
  }

  @Test
  void pendingCreate_isRetriedWithRecovery_soNoSecondTicket() {
    // Given a create that was started but never confirmed (crash, or dead-lettered)
    final VerdictView v = Verdicts.view("prod/app", Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0);
    final Notification n = new Notification(v, DEST, Severity.ERROR, "r", TemplateSpec.NONE);
    final Step open = Lifecycle.decide(Optional.empty(), v, Optional.of(n), DEST, POLICY, T0).get(0);
    final Optional<LifecycleState> pending = Optional.of(Lifecycle.pending(open, T0));

    // When the same failure arrives again
    final List<Step> again = Lifecycle.decide(pending, v, Optional.of(n), DEST, POLICY, T0.plusSeconds(1));

    // Then it is an OPEN with the same dedupe key and recovery on
    assertThat(again).singleElement().satisfies(s -> {
      assertThat(s.action()).isEqualTo(Action.OPEN);
      assertThat(s.recover()).isTrue();
      assertThat(s.key()).isEqualTo(open.key());
    });
  }

  @Test
  void passWithNothingOpen_isOnlyANotificationWhenRouted() {
    final VerdictView pass = Verdicts.view("prod/app", Outcome.PASS, ReasonCode.OK, T0);
    assertThat(Lifecycle.decide(Optional.empty(), pass, Optional.empty(), DEST, POLICY, T0)).isEmpty();
    assertThat(Lifecycle.decide(Optional.empty(), pass, Optional.of(new Notification(pass, DEST, Severity.INFO, "r", TemplateSpec.NONE)), DEST,
        POLICY, T0)).extracting(Step::action).containsExactly(Action.NOTIFY);
  }

  @Test
  void dedupeKey_isStablePerArtifactClassAndDestination() {
    final VerdictView a = Verdicts.view("prod/app", Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0);
    final VerdictView b = Verdicts.view("prod/app", Outcome.FAIL, ReasonCode.NO_SIGNATURE, T0.plusSeconds(99));
    assertThat(DedupeKey.of(a, "NO_SIGNATURE", "gh")).isEqualTo(DedupeKey.of(b, "NO_SIGNATURE", "gh"));
    assertThat(DedupeKey.of(a, "NO_SIGNATURE", "gh")).isNotEqualTo(DedupeKey.of(a, "CERT_REVOKED", "gh"));
    assertThat(DedupeKey.of(a, "NO_SIGNATURE", "gh")).isNotEqualTo(DedupeKey.of(a, "NO_SIGNATURE", "jira"));
    assertThat(DedupeKey.of(a, "NO_SIGNATURE", "gh").value()).hasSize(32);
  }
}
