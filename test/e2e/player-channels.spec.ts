// The player's agent / customer solo, heard as a listener would: the real renderer plays a
// stereo `mixed` recording (agent 440 Hz on the left, customer 1000 Hz on the right) from the
// real engine, and the page's Web Audio output is tapped just before the speakers to measure
// each output channel's energy at the two tones.
import type { Page } from '@playwright/test';
import { AGENT_TONE_HZ, CUSTOMER_TONE_HZ } from '../fakes/audio.ts';
import { startFakeKallglot, type FakeKallglot } from '../fakes/kallglot.ts';
import { expect, test } from './bridge-fixture.ts';

const SESSION = 'sess_e2e_channels_0001';
/** How much louder the tone a side should carry must be than the one it must not (dB). */
const SEPARATION_DB = 30;

let kallglot: FakeKallglot;

test.beforeAll(async () => {
  kallglot = await startFakeKallglot({
    // Pro tier: the app's syncs in this file share the fake within a minute.
    rateLimitPerMinute: 300,
    // Long enough to keep playing through every mode switch and measurement.
    sessions: [
      {
        id: SESSION,
        recordings: [
          { channel: 'mixed', audio: { channel: 'mixed', format: 'mp3', durationSec: 60 } },
        ],
      },
    ],
  });
});

test.afterAll(async () => {
  await kallglot?.close();
});

/**
 * Installed before the app loads: whatever the app connects to an AudioContext's destination
 * is also fed to one analyser per output channel, so the test hears what the user would.
 */
function installOutputTap(): void {
  type Tap = { left: AnalyserNode; right: AnalyserNode; sampleRate: number };
  const target = window as unknown as { __outputTap?: Tap };
  const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
  AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
    const result = connect.apply(this, args);
    if (args[0] instanceof AudioDestinationNode) {
      const context = this.context;
      const splitter = context.createChannelSplitter(2);
      const analyser = (): AnalyserNode => {
        const node = context.createAnalyser();
        node.fftSize = 16384;
        node.smoothingTimeConstant = 0;
        return node;
      };
      const left = analyser();
      const right = analyser();
      // A silent sink keeps the analysers pulled by the render loop.
      const sink = context.createGain();
      sink.gain.value = 0;
      connect.call(this, splitter);
      connect.call(splitter, left, 0);
      connect.call(splitter, right, 1);
      connect.call(left, sink);
      connect.call(right, sink);
      connect.call(sink, context.destination);
      target.__outputTap = { left, right, sampleRate: context.sampleRate };
    }
    return result;
  } as typeof AudioNode.prototype.connect;
}

interface ChannelLevels {
  left: { agent: number; customer: number };
  right: { agent: number; customer: number };
}

/** Peak level (dB) near each tone in each output channel, read from the tap. */
async function outputLevels(page: Page): Promise<ChannelLevels> {
  return page.evaluate(
    ([agentHz, customerHz]) => {
      const tap = (
        window as unknown as {
          __outputTap?: { left: AnalyserNode; right: AnalyserNode; sampleRate: number };
        }
      ).__outputTap;
      if (!tap) throw new Error('nothing was connected to an audio destination');
      const level = (node: AnalyserNode, hz: number): number => {
        const bins = new Float32Array(node.frequencyBinCount);
        node.getFloatFrequencyData(bins);
        const at = Math.round((hz * node.fftSize) / tap.sampleRate);
        let peak = -Infinity;
        for (let i = at - 4; i <= at + 4; i++) peak = Math.max(peak, bins[i] ?? -Infinity);
        return peak;
      };
      const side = (node: AnalyserNode) => ({
        agent: level(node, agentHz!),
        customer: level(node, customerHz!),
      });
      return { left: side(tap.left), right: side(tap.right) };
    },
    [AGENT_TONE_HZ, CUSTOMER_TONE_HZ],
  );
}

/** Waits until the output settles into `expected` (each side carries only the named tone). */
async function expectOutput(
  page: Page,
  expected: { left: 'agent' | 'customer'; right: 'agent' | 'customer' },
): Promise<void> {
  const carries = (levels: { agent: number; customer: number }, tone: 'agent' | 'customer') => {
    const other = tone === 'agent' ? 'customer' : 'agent';
    return levels[tone] - levels[other];
  };
  await expect
    .poll(
      async () => {
        const levels = await outputLevels(page);
        return Math.min(carries(levels.left, expected.left), carries(levels.right, expected.right));
      },
      {
        timeout: 10_000,
        message: `left should carry only ${expected.left}, right only ${expected.right}`,
      },
    )
    .toBeGreaterThan(SEPARATION_DB);
}

test('agent only plays the left channel, customer only the right, both keeps them apart', async ({
  page,
  bridge,
}) => {
  test.setTimeout(120_000);
  await page.addInitScript(installOutputTap);
  await page.goto(bridge.url);
  const nav = page.getByRole('navigation', { name: 'Main' });

  await nav.getByRole('button', { name: 'Accounts' }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByLabel('Name').fill('Channels');
  await page.getByLabel('Base URL').fill(kallglot.baseUrl);
  await page.getByLabel('API key').fill(kallglot.apiKey);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByTestId('account-card')).toHaveCount(1);

  await nav.getByRole('button', { name: 'Sync' }).click();
  await page.getByLabel('Session or recording ids').fill(SESSION);
  await page.getByRole('button', { name: 'Start sync' }).click();
  const job = page.getByTestId('job').first();
  await expect(job.getByTestId('job-state')).toHaveText('Done', { timeout: 60_000 });
  await expect(job.getByTestId('job-archived')).toHaveText('1');

  await nav.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('library-row').first().click();
  const player = page.getByTestId('player');
  const media = player.getByTestId('player-media');
  await expect
    .poll(() => media.evaluate((el: HTMLMediaElement) => el.readyState), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);
  await player.getByTestId('player-toggle').click();
  await expect
    .poll(() => media.evaluate((el: HTMLMediaElement) => el.currentTime))
    .toBeGreaterThan(0);

  const listen = player.getByRole('group', { name: 'Listen to' });
  await listen.getByRole('button', { name: 'Agent only' }).click();
  await expectOutput(page, { left: 'agent', right: 'agent' });

  await listen.getByRole('button', { name: 'Customer only' }).click();
  await expectOutput(page, { left: 'customer', right: 'customer' });

  await listen.getByRole('button', { name: 'Both' }).click();
  await expectOutput(page, { left: 'agent', right: 'customer' });

  // The measurements were taken while the recording played, not over a stalled element.
  expect(await media.evaluate((el: HTMLMediaElement) => el.paused)).toBe(false);
  await expect(player.getByTestId('playback-error')).toHaveCount(0);
});
