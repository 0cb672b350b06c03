package dev.herald.benchmarks;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Reads the body and answers 202, on the event loop like the ingest: what HTTP alone costs on this machine. */
@Path("/bare")
public class BareBodyResource {

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response read(byte[] body) {
        return Response.accepted("{\"bytes\":" + body.length + "}").build();
    }
}
