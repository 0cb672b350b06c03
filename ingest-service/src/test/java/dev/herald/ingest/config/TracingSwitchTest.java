package dev.herald.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracingSwitchTest {

    @Test
    void warnsWhenAnExporterOrEndpointIsSetButTheSdkIsOff() {
        assertThat(TracingSwitch.warning(true, "cdi", Optional.empty())).get().asString()
                .contains("QUARKUS_OTEL_SDK_DISABLED=false");
        assertThat(TracingSwitch.warning(true, "none", Optional.of("http://collector:4317"))).isPresent();
    }

    @Test
    void silentWhenTracingIsNotAskedForOrOn() {
        assertThat(TracingSwitch.warning(true, "none", Optional.empty())).isEmpty();
        assertThat(TracingSwitch.warning(true, "none", Optional.of(" "))).isEmpty();
        assertThat(TracingSwitch.warning(false, "cdi", Optional.of("http://collector:4317"))).isEmpty();
    }
}
