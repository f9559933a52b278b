import { describe, expect, it } from 'vitest';
import { playerCommandFor } from './player-keys.ts';

const on = (tag: string) => document.createElement(tag);

describe('playerCommandFor', () => {
  it.each([
    [' ', { kind: 'toggle' }],
    ['ArrowLeft', { kind: 'seekBy', seconds: -5 }],
    ['ArrowRight', { kind: 'seekBy', seconds: 5 }],
    ['j', { kind: 'seekBy', seconds: -30 }],
    ['k', { kind: 'pause' }],
    ['L', { kind: 'seekBy', seconds: 30 }],
    ['<', { kind: 'rateBy', step: -1 }],
    ['>', { kind: 'rateBy', step: 1 }],
    ['/', { kind: 'focusSearch' }],
  ])('maps %j', (key, command) => {
    expect(playerCommandFor({ key, target: document.body })).toEqual(command);
  });

  it('leaves keys to text fields, buttons and dialogs', () => {
    for (const tag of ['input', 'textarea', 'select', 'button']) {
      expect(playerCommandFor({ key: ' ', target: on(tag) })).toBeNull();
      expect(playerCommandFor({ key: '/', target: on(tag) })).toBeNull();
    }
    const dialog = on('dialog');
    const inside = dialog.appendChild(on('div'));
    expect(playerCommandFor({ key: 'k', target: inside })).toBeNull();
  });

  it('takes keys from the library grid and the page', () => {
    const grid = on('div');
    grid.setAttribute('role', 'grid');
    expect(playerCommandFor({ key: ' ', target: grid })).toEqual({ kind: 'toggle' });
  });

  it('ignores shortcuts with modifiers and unknown keys', () => {
    expect(playerCommandFor({ key: 'l', ctrlKey: true, target: document.body })).toBeNull();
    expect(playerCommandFor({ key: 'ArrowLeft', metaKey: true, target: document.body })).toBeNull();
    expect(playerCommandFor({ key: 'x', target: document.body })).toBeNull();
  });
});
