package dev.herald.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.RecordSizeLimits;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The router's producer takes every record the ingest can put on the raw topic. */
class RecordSizeSettingsTest {

    @Test
    void theStreamsProducerTakesRecordsAsLargeAsTheEventTopicsDo() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }

        assertThat(properties.getProperty("kafka-streams.producer.max.request.size"))
                .isEqualTo(String.valueOf(RecordSizeLimits.EVENT_RECORD_BYTES));
    }
}
