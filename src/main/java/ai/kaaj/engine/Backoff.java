package ai.kaaj.engine;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Waits before retrying something remote: doubling from the first wait, up to a ceiling, with jitter. */
public final class Backoff {

    private Backoff() {
    }

    /**
     * The wait before retry number `retry` (0 for the first): first · 2^retry, at most max, drawn at
     * random from its upper half, so that many clients retrying together spread out.
     */
    public static Duration jittered(Duration first, int retry, Duration max) {
        long ceiling = Math.min(max.toMillis(), first.toMillis() << Math.min(Math.max(retry, 0), 16));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
}
