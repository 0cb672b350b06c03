package dev.herald.notifier.delivery;

/**
 * How fast one destination may receive messages: {@code perSecond} on average, at most {@code burst} at once.
 * A channel whose peer has no limit answers {@link #UNLIMITED}.
 */
public record Pace(double perSecond, int burst) {

    public static final Pace UNLIMITED = new Pace(Double.POSITIVE_INFINITY, Integer.MAX_VALUE);

    public Pace {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a pace needs a positive rate and a burst of at least 1");
        }
    }

    public boolean unlimited() {
        return Double.isInfinite(perSecond);
    }
}
