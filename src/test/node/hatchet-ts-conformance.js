// The official Hatchet TypeScript SDK as a client of the engine named by HATCHET_CLIENT_* (the test engine):
// it puts a two-task workflow, registers a worker, triggers one run and works its tasks until it is stopped.
// HatchetTypeScriptSdkTest runs it with NODE_PATH at the SDK installed under target/.
const { HatchetClient } = require('@hatchet-dev/typescript-sdk');

async function main() {
  const hatchet = HatchetClient.init();
  const conformance = hatchet.workflow({ name: 'ts-conformance', on: { event: 'ts-conformance:run' } });
  const echo = conformance.task({
    name: 'echo',
    retries: 1,
    executionTimeout: '30s',
    fn: async (input) => ({ echoed: input.message }),
  });
  conformance.task({
    name: 'shout',
    parents: [echo],
    fn: async (input, ctx) => {
      const parent = await ctx.parentOutput(echo);
      return { shouted: parent.echoed.toUpperCase(), sdk: 'typescript' };
    },
  });
  const worker = await hatchet.worker('ts-conformance-worker', { workflows: [conformance], slots: 2 });
  worker.start().catch((e) => {
    console.error(`WORKER FAILED ${e.message}`);
    process.exit(3);
  });
  await worker.waitUntilReady(30000);
  const run = await conformance.runNoWait({ message: 'hello from typescript' });
  console.log(`TRIGGERED ${await run.getWorkflowRunId()}`);
}

main().catch((e) => {
  console.error(`FAILED ${e.stack || e.message}`);
  process.exit(2);
});
