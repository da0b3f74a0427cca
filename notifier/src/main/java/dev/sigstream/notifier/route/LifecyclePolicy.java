package dev.sigstream.notifier.route;

import java.time.Duration;

/**
 * Lifecycle timings (Alertmanager's repeat_interval, group_wait and Jira reopen_duration).
 *
 * @param repeatInterval an unchanged failure is notified again only after this long
 * @param reopenWindow a failure this soon after a resolution reopens the old ticket instead of opening a new one
 * @param groupWait chat destinations collect a burst of one failure class for this long into one digest (0 = off)
 */
public record LifecyclePolicy(Duration repeatInterval, Duration reopenWindow, Duration groupWait) {

  public static LifecyclePolicy defaults() {
    return new LifecyclePolicy(Duration.ofHours(4), Duration.ofHours(24), Duration.ofSeconds(0));
  }
}
