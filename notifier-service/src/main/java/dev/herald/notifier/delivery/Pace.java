package dev.herald.notifier.delivery;

/**
 * How one destination may be sent to: {@code perSecond} messages on average, at most {@code burst} at once, and at
 * most {@code inFlight} messages sent and not yet marked done. {@code inFlight} is also the most messages a crash can
 * send twice to that destination (a crash after a send and before its done mark), and with 1 the destination gets
 * its messages in the order they were read.
 */
public record Pace(double perSecond, int burst, int inFlight) {

    /** No limit on the rate; one message at a time, in order. */
    public static final Pace UNLIMITED = unlimited(1);

    public Pace {
        if (!(perSecond > 0) || burst < 1 || inFlight < 1) {
            throw new IllegalArgumentException("a pace needs a positive rate, a burst of at least 1 and at least 1 message in flight");
        }
    }

    /** One message at a time, in order. */
    public Pace(double perSecond, int burst) {
        this(perSecond, burst, 1);
    }

    /** No limit on the rate; up to {@code inFlight} messages at once. */
    public static Pace unlimited(int inFlight) {
        return new Pace(Double.POSITIVE_INFINITY, Integer.MAX_VALUE, inFlight);
    }

    public boolean unlimited() {
        return Double.isInfinite(perSecond);
    }
}
