"""Work shared by many `socmed worker` processes through a PostgreSQL job queue
(procrastinate), on a PostgreSQL store; the embedded SQLite store keeps its single-process
loops (`socmed publish run`, `socmed worker --loop`).

- `registry`: the job registry. A job is ONE function decorated with `@job(...)`, calling
  one service method; `queue.build_app` turns every registered function into a task.
- `tasks`: the jobs socmed runs: `publish_item` (one item at its slot), `sweep` (every
  `SWEEP_SECONDS`: defers a publish job for every due item that has none, the webhook
  drain, and hands the jobs of a dead worker to the living), `process_webhooks`.
- `queue`: the procrastinate app of a store, its schema, and deferring; `common`: the
  timings, the runtime of a worker's jobs, deferring and retrying from inside a worker.
- `hooks`: the deferral hook the composition root adds to every PostgreSQL store's saves:
  an item scheduled (or rescheduled) gets its job at the slot's time.
- `worker`: what `socmed worker --queue` runs.

The queue only distributes the work. Exactly once stays in the domain: the attempt is saved
before the platform is called (`PublicationService.publish_item`), two workers on one item
conflict on that save, and an attempt left without an answer is surfaced as unknown.
"""
