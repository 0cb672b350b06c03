package dev.herald.benchmarks;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The quickstart way to put a POSTed body on Kafka, with the ingest's guarantee: answered 202 only once the broker
 * acknowledged the record ({@code acks=all}, idempotent, {@code linger.ms=0}). No auth, no parsing, no key, no
 * headers: the floor under what the ingest's own work costs.
 */
@Path("/plain")
public class PlainKafkaResource {

    // Every request in flight may wait in the emitter's buffer: room for more than wrk's connections.
    @Channel("raw")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<byte[]> raw;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> publish(byte[] body) {
        return Uni.createFrom().completionStage(raw.send(body)).replaceWith(Response.accepted().build());
    }
}
