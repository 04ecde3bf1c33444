package ai.kaaj.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Worker processes' heartbeats: who runs steps, with how many slots, and when each was last heard from. */
public final class WorkerStore {

    public record WorkerRow(String name, String engine, int slots, int slotsInUse, Instant startedAt,
                            Instant heartbeatAt, boolean alive) {
    }

    private final Sql sql;

    public WorkerStore(Sql sql) {
        this.sql = sql;
    }

    /** Records that the worker is alive now, with the slots it is using. */
    public void beat(String name, String engine, int slots, int slotsInUse) {
        sql.update("""
                insert into worker_heartbeats (name, engine, slots, slots_in_use) values (?, ?, ?, ?)
                on conflict (name) do update set engine = excluded.engine, slots = excluded.slots,
                       slots_in_use = excluded.slots_in_use, heartbeat_at = now()""", name, engine, slots, slotsInUse);
    }

    /** A worker that stopped cleanly is gone at once. */
    public void remove(String name) {
        sql.update("delete from worker_heartbeats where name = ?", name);
    }

    /**
     * Workers heard from within the given time (alive) and, after them, those silent for up to an hour
     * (stopped without saying so, or unreachable): the silent ones show as not alive.
     */
    public List<WorkerRow> recent(Duration aliveWithin) {
        return sql.query("""
                select name, engine, slots, slots_in_use, started_at, heartbeat_at,
                       heartbeat_at > now() - ? * interval '1 millisecond'
                  from worker_heartbeats where heartbeat_at > now() - interval '1 hour'
                 order by 7 desc, name""",
                row -> new WorkerRow(row.getString(1), row.getString(2), row.getInt(3), row.getInt(4),
                        RunStore.instant(row, 5), RunStore.instant(row, 6), row.getBoolean(7)),
                aliveWithin.toMillis());
    }
}
