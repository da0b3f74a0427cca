package dev.sigstream.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The dashboard check itself can fail: on a missing metric and on a missing label (the real scrape is in DemoCommandIT). */
class DashboardCheckTest {

  @Test
  void missingMetricsAndLabels_areReported_lazyCountersAreNamedFromTheCode() throws Exception {
    assertThat(DashboardCheck.queries()).anyMatch(q -> q.contains("sigstream_verdicts_total"));
    assertThatThrownBy(() -> DashboardCheck.assertEveryQueriedMetricExists("jvm_memory_used_bytes{area=\"heap\"} 1\n"))
        .hasMessageContaining("sigstream_verdicts_total").hasMessageContaining("is not on /metrics");
    assertThatThrownBy(() -> DashboardCheck.assertEveryQueriedMetricExists("sigstream_verdicts_total{reason=\"OK\"} 1\n"))
        .hasMessageContaining("sigstream_verdicts_total has no label 'outcome'");
    assertThat(DashboardCheck.LAZY).containsOnlyKeys("sigstream_verifier_retries_total");
  }
}
