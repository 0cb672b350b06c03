package dev.herald.notifier.channel.slack;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per webhook URL: {@code burst} messages at once, then {@code perSecond}. Slack allows about one
 * message per second per webhook; keeping under that means Herald never provokes a storm of 429s.
 */
final class WebhookRateLimiter {

    private final double perSecond;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    WebhookRateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
    }

    /** Takes a token for this webhook, waiting for one if needed. */
    void acquire(String webhook) throws InterruptedException {
        Bucket bucket = buckets.computeIfAbsent(webhook, url -> new Bucket(burst, System.nanoTime()));
        Duration wait;
        while (!(wait = bucket.take(perSecond, burst)).isZero()) {
            Thread.sleep(Math.max(1, wait.toMillis()));
        }
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        /** Zero when a token was taken, else how long until one is there. */
        synchronized Duration take(double perSecond, int burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) ((1 - tokens) / perSecond * 1e9));
        }
    }
}
