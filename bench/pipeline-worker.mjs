// The measured worker of `npm run bench -- pipeline`, in its own process, as it ships: plain `node`
// (no tsx) loading the compiled worker from dist/ — the same modules the container runs. The bench
// process (producer, ceilings, emulator and Azurite launchers) stays out of this process's RSS and CPU.
// Protocol (IPC): parent sends {type:'start', settings, keyFolder, subscription, poolSize?}; this process
// answers {type:'ready'}, {type:'progress', final, firstAt, lastAt} per batch, then on {type:'latency', on}
// records enqueue-to-finding latencies, and on {type:'stop'} drains, replies {type:'stopped', latenciesMs}
// and exits.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.argv[2];
if (!dist) throw new Error('usage: pipeline-worker.mjs <dist folder>');
const load = (p) => import(pathToFileURL(join(dist, p)).href);

const crypto = await load('crypto/index.js');
const { createDlpEngine } = await load('dlp/index.js');
const { createSilentLogger } = await load('log.js');
const { adaptCryptoDecryptor, adaptDlpEngine, createRegistryValidator } = await load('worker/adapters.js');
const { composeWorker } = await load('worker/compose.js');

let worker;
let recording = false;
const latenciesMs = [];
const latencySink = {
  name: 'latency',
  mode: 'required',
  async write(findings) {
    if (!recording) return;
    const now = Date.now();
    for (const f of findings) if (f.enqueuedTime) latenciesMs.push(now - Date.parse(f.enqueuedTime));
  },
  async close() {},
};

process.on('message', async (msg) => {
  try {
    if (msg.type === 'start') {
      const keyring = await crypto.createKeyring({
        source: crypto.createFolderKeySource({ folder: msg.keyFolder, keyBits: 2048 }),
        watch: false,
        reloadIntervalMs: 0,
      });
      const pool = crypto.createDecryptPool(msg.poolSize ? { size: msg.poolSize } : {});
      let final = 0;
      let firstAt = 0;
      let lastSentAt = 0;
      worker = await composeWorker(msg.settings, {
        logger: createSilentLogger(),
        healthServer: false,
        extraSinks: [latencySink],
        domain: {
          decryptor: adaptCryptoDecryptor(crypto.createNotificationDecryptor({ keyring, pool })),
          scanner: adaptDlpEngine(createDlpEngine()),
          validator: createRegistryValidator((id) =>
            id === msg.subscription.id
              ? { clientState: msg.subscription.clientState, tenantId: msg.subscription.tenantId }
              : undefined,
          ),
          lifecycle: { handleLifecycle: async () => {} },
          close: async () => {
            await pool.close();
            await keyring.close();
          },
        },
        onBatch: ({ outcomes }) => {
          const now = Date.now();
          if (firstAt === 0) firstAt = now - 1;
          final += outcomes.filter((o) => o !== 'pending').length;
          // Progress is cheap but not free: at most every 20 ms, and always once the target is near.
          if (now - lastSentAt >= 20 || final >= msg.reportAllFrom) {
            lastSentAt = now;
            process.send({ type: 'progress', final, firstAt, lastAt: now });
          }
        },
      });
      process.send({ type: 'ready', decryptPoolThreads: pool.size });
      await worker.start();
    } else if (msg.type === 'latency') {
      recording = msg.on;
    } else if (msg.type === 'latency-count') {
      process.send({ type: 'latency-count', count: latenciesMs.length });
    } else if (msg.type === 'stop') {
      await worker?.stop();
      process.send({ type: 'stopped', latenciesMs }, () => process.exit(0));
    }
  } catch (err) {
    process.send({ type: 'error', message: err instanceof Error ? err.stack : String(err) });
  }
});
process.send({ type: 'loaded' });
