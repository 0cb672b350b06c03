package dev.herald.notifier.channel.slack;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The first bytes of an answer's body, then no more: Slack answers a word ("ok", "no_service"), and a peer that
 * streams on neither fills the heap nor keeps the sender reading.
 */
final class FirstBytes implements HttpResponse.BodySubscriber<String> {

    private final byte[] bytes;
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private int length;
    private Flow.Subscription subscription;

    FirstBytes(int max) {
        this.bytes = new byte[max];
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            int taken = Math.min(buffer.remaining(), bytes.length - length);
            buffer.get(bytes, length, taken);
            length += taken;
        }
        if (length == bytes.length) {
            complete(); // first: a cancel that signals an error at once must not turn a full answer into a failure
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable failure) {
        body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        complete();
    }

    private void complete() {
        body.complete(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
}
