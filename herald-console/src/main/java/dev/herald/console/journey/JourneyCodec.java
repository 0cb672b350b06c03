package dev.herald.console.journey;

import dev.herald.events.DeliveryHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A journey as the {@link JourneyIndex} stores it on disk: every field of every step, the dead-lettered delivery's
 * headers and body included (what a replay writes back), in a compact binary form. Written and read only by the
 * running console (the index is rebuilt from the topics at each start), so the form carries no version.
 */
final class JourneyCodec {

    private static final Step.Kind[] KINDS = Step.Kind.values();

    private JourneyCodec() {
    }

    static byte[] encode(Journey journey) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            string(out, journey.eventId());
            out.writeInt(journey.steps().size());
            for (Step step : journey.steps()) {
                step(out, step);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Journey decode(byte[] stored) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
            String eventId = string(in);
            int count = in.readInt();
            List<Step> steps = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                steps.add(step(in));
            }
            return new Journey(eventId, steps);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void step(DataOutputStream out, Step step) throws IOException {
        out.writeByte(step.kind().ordinal());
        string(out, step.source());
        string(out, step.eventId());
        instant(out, step.at());
        string(out, step.type());
        strings(out, step.accountIds());
        string(out, step.topic());
        integer(out, step.partition());
        string(out, step.body());
        map(out, step.headers());
        string(out, step.deliveryId());
        string(out, step.route());
        string(out, step.channel());
        string(out, step.destination());
        integer(out, step.attempt());
        string(out, step.outcome());
        string(out, step.reason());
        instant(out, step.notBefore());
        out.writeBoolean(step.stored() != null);
        if (step.stored() != null) {
            map(out, step.stored().headers().toMap());
            out.writeInt(step.stored().body().length);
            out.write(step.stored().body());
        }
    }

    private static Step step(DataInputStream in) throws IOException {
        Step.Kind kind = KINDS[in.readByte()];
        String source = string(in);
        String eventId = string(in);
        Instant at = instant(in);
        String type = string(in);
        List<String> accountIds = strings(in);
        String topic = string(in);
        Integer partition = integer(in);
        String body = string(in);
        Map<String, String> headers = map(in);
        String deliveryId = string(in);
        String route = string(in);
        String channel = string(in);
        String destination = string(in);
        Integer attempt = integer(in);
        String outcome = string(in);
        String reason = string(in);
        Instant notBefore = instant(in);
        StoredDelivery stored = null;
        if (in.readBoolean()) {
            Map<String, String> facts = map(in);
            byte[] storedBody = in.readNBytes(in.readInt());
            stored = new StoredDelivery(DeliveryHeaders.from(facts::get).orElseThrow(
                    () -> new IllegalStateException("a stored delivery's headers no longer read as a delivery")), storedBody);
        }
        return new Step(kind, source, eventId, at, type, accountIds, topic, partition, body, headers, deliveryId, route,
                channel, destination, attempt, outcome, reason, notBefore, stored);
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void instant(DataOutputStream out, Instant value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value.getEpochSecond());
            out.writeInt(value.getNano());
        }
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    private static void integer(DataOutputStream out, Integer value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeInt(value);
        }
    }

    private static Integer integer(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values == null ? -1 : values.size());
        if (values != null) {
            for (String value : values) {
                string(out, value);
            }
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            return null;
        }
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(string(in));
        }
        return List.copyOf(values);
    }

    private static void map(DataOutputStream out, Map<String, String> values) throws IOException {
        out.writeInt(values == null ? -1 : values.size());
        if (values != null) {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                string(out, entry.getKey());
                string(out, entry.getValue());
            }
        }
    }

    private static Map<String, String> map(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            values.put(string(in), string(in));
        }
        return values;
    }
}
