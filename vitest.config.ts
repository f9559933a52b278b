import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// A test's folder says what it needs (README, Layout): `unit` is pure and in-process (no
// sockets, child processes, ffmpeg or build output); `integration` runs the engine, provider
// fakes, ffmpeg, sockets or child processes; `built` reads out/ and refuses a stale build;
// `renderer` runs components in jsdom. Shared harnesses live in test/support/.
const node = { environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 } as const;

export default defineConfig({
  plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  test: {
    projects: [
      {
        extends: true,
        test: {
          ...node,
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/support/unit-setup.ts'],
          env: { RECVAULT_TEST_PROJECT: 'unit' },
        },
      },
      {
        extends: true,
        test: { ...node, name: 'integration', include: ['test/integration/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          ...node,
          name: 'built',
          include: ['test/built/**/*.test.ts'],
          globalSetup: ['test/support/fresh-build-setup.ts'],
        },
      },
      {
        extends: true,
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.ts'],
        },
      },
    ],
  },
});
