import type { SplitChannel } from '../../../main/core/contract/vocabulary.ts';

/** What the player lets through: the stereo image, or one side of the call. */
export type SoloMode = 'both' | SplitChannel;

/**
 * Solos one side of a stereo `mixed` recording (agent LEFT, customer RIGHT) with Web Audio:
 * MediaElementSource → ChannelSplitter → four gains → ChannelMerger. "both" keeps the stereo
 * image; a solo sends that side to both ears. Built on first use, because a media element can
 * be given to createMediaElementSource only once and its audio then flows only through the graph.
 */
export class ChannelRouter {
  private context: AudioContext | null = null;
  private gains: Record<'agentL' | 'agentR' | 'customerL' | 'customerR', GainNode> | null = null;

  constructor(private readonly element: HTMLMediaElement) {}

  setMode(mode: SoloMode): void {
    if (mode === 'both' && !this.gains) return; // nothing to route yet
    const gains = this.build();
    const levels = {
      both: [1, 0, 0, 1],
      agent: [1, 1, 0, 0],
      customer: [0, 0, 1, 1],
    }[mode];
    const now = this.context!.currentTime;
    [gains.agentL, gains.agentR, gains.customerL, gains.customerR].forEach((gain, i) =>
      gain.gain.setValueAtTime(levels[i]!, now),
    );
  }

  /** Browsers start an AudioContext suspended until a user gesture: resume on play. */
  resume(): void {
    void this.context?.resume();
  }

  close(): void {
    void this.context?.close();
    this.context = null;
    this.gains = null;
  }

  private build(): NonNullable<ChannelRouter['gains']> {
    if (this.gains) return this.gains;
    const context = new AudioContext();
    const source = context.createMediaElementSource(this.element);
    const splitter = context.createChannelSplitter(2);
    const merger = context.createChannelMerger(2);
    source.connect(splitter);
    const gain = (from: 0 | 1, to: 0 | 1): GainNode => {
      const node = context.createGain();
      splitter.connect(node, from);
      node.connect(merger, 0, to);
      return node;
    };
    this.gains = {
      agentL: gain(0, 0),
      agentR: gain(0, 1),
      customerL: gain(1, 0),
      customerR: gain(1, 1),
    };
    merger.connect(context.destination);
    this.context = context;
    void context.resume();
    return this.gains;
  }
}
