import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration and e2e tests start real servers (emulator, Azurite, child processes): forks isolate them.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // End-to-end tests wait on child processes, rebalancing and drains; their own waits have explicit
    // deadlines (up to 90 s on a loaded machine), so the runner's limit sits above them.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
