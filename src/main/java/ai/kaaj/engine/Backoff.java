package ai.kaaj.engine;

import io.github.resilience4j.core.IntervalFunction;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The waits before retrying something: doubling from the first wait up to a ceiling (Resilience4j's
 * exponential interval function), plain or with jitter. Retry number n counts from 1, as Resilience4j's do.
 */
public final class Backoff {

    private Backoff() {
    }

    /** first · 2^(n-1), at most max. */
    public static IntervalFunction exponential(Duration first, Duration max) {
        return IntervalFunction.ofExponentialBackoff(first, 2, max);
    }

    /**
     * The exponential wait drawn at random from its upper half, so that many clients retrying together
     * spread out.
     */
    public static IntervalFunction jittered(Duration first, Duration max) {
        IntervalFunction ceiling = exponential(first, max);
        return retry -> {
            long millis = ceiling.apply(retry);
            return ThreadLocalRandom.current().nextLong(millis / 2, millis + 1);
        };
    }

    /** The jittered wait before retry number `retry`, counted from 0. */
    public static Duration jittered(Duration first, int retry, Duration max) {
        return Duration.ofMillis(jittered(first, max).apply(Math.max(retry, 0) + 1));
    }
}
