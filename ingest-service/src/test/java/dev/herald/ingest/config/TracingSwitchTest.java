package dev.herald.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracingSwitchTest {

    @Test
    void warnsWhenAnEndpointIsSetButTheSdkIsOff() {
        assertThat(TracingSwitch.warning(true, Optional.of("http://collector:4317"))).get().asString()
                .contains("QUARKUS_OTEL_SDK_DISABLED=false");
    }

    @Test
    void silentWhenTracingIsNotAskedForOrOn() {
        assertThat(TracingSwitch.warning(true, Optional.empty())).isEmpty();
        assertThat(TracingSwitch.warning(true, Optional.of(" "))).isEmpty();
        // Quarkus' own default, set whether or not anyone asked for tracing
        assertThat(TracingSwitch.warning(true, Optional.of("http://localhost:4317/"))).isEmpty();
        assertThat(TracingSwitch.warning(true, Optional.of("http://localhost:4317"))).isEmpty();
        assertThat(TracingSwitch.warning(false, Optional.of("http://collector:4317"))).isEmpty();
    }
}
