package ai.kaaj.engine;

import java.util.concurrent.ThreadFactory;

/**
 * The service's own threads: named (thread dumps and the step-thread checks read the names) and daemon,
 * so that none of them keeps a stopping JVM alive; stopping work is the owners' business.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A factory whose threads all carry this name. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Starts one named daemon thread running the body. */
    public static Thread start(String name, Runnable body) {
        Thread thread = named(name).newThread(body);
        thread.start();
        return thread;
    }
}
