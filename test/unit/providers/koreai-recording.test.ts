import { describe, expect, it } from 'vitest';
import {
  koreaiChannel,
  koreaiFileKey,
  koreaiFileRecording,
  koreaiSessionPlaceholder,
  mapKoreaiStatus,
} from '../../../main/core/providers/koreai-recording.ts';
import { koreaiDateWindows } from '../../../main/core/providers/koreai-range.ts';
import { ProviderError } from '../../../main/core/providers/errors.ts';

const ctx = { sessionId: '6465cf6e4769ed4e822b82a1', userId: 'u-1' };
const signed = 'https://media.example/api/getMediaStream/a/b/f-1.wav?e=1709706278&n=1&s=SIG';

describe('Kore.ai status words', () => {
  it.each([
    ['success', 'ready'],
    ['media_unavailable', 'pending'],
    ['call_in_progress', 'pending'],
    ['media_in_progress', 'pending'],
    ['failed', 'failed'],
    ['some_new_word', 'pending'],
  ])('%s → %s', (word, status) => {
    expect(mapKoreaiStatus(word)).toBe(status);
  });

  it('keeps the provider word on a placeholder and never marks an empty success ready', () => {
    const p = koreaiSessionPlaceholder(ctx, 'call_in_progress');
    expect(p.providerStatus).toBe('call_in_progress');
    expect(p.status).toBe('pending');
    expect(koreaiSessionPlaceholder(ctx, 'success').status).toBe('pending');
    expect(koreaiSessionPlaceholder(ctx, 'failed').status).toBe('failed');
  });
});

describe('Kore.ai file mapping', () => {
  it('derives a stable id from the session and the file name, not from the URL signature', () => {
    const a = koreaiFileKey({ fileName: '22d8-merged.wav', fileUrl: signed });
    const b = koreaiFileKey({ fileName: '22d8-merged.wav', fileUrl: signed.replace('SIG', 'X') });
    expect(a).toBe(b);
    expect(a).toMatch(/^merged-[0-9a-f]{16}$/);
    expect(koreaiFileKey({ fileName: '22d9-merged.wav', fileUrl: signed })).not.toBe(a);
  });

  it('never puts hostile file names into the id', () => {
    const hostile = '../../../etc/passwd\u0000-merged.wav';
    const r = koreaiFileRecording(ctx, 'success', { fileName: hostile, fileUrl: signed });
    expect(r.remoteId).toMatch(/^6465cf6e4769ed4e822b82a1:[a-z]+-[0-9a-f]{16}$/);
    expect(r.providerFileName).toBe('passwd-merged.wav');
    expect(r.format).toBe('wav');
  });

  it('maps -merged to mixed and per-side names to their side', () => {
    expect(koreaiChannel('abc-merged.wav')).toBe('mixed');
    expect(koreaiChannel('abc-agent.wav')).toBe('agent');
    expect(koreaiChannel('abc-customer.wav')).toBe('customer');
    expect(koreaiChannel('abc.wav')).toBe('mixed');
  });

  it('takes the format from the URL path, then the file name, else null', () => {
    const fromName = koreaiFileRecording(ctx, 'success', {
      fileName: 'x-merged.mp3',
      fileUrl: 'https://media.example/getMediaStream/f?e=1',
    });
    expect(fromName.format).toBe('mp3');
    const unknown = koreaiFileRecording(ctx, 'success', {
      fileName: 'x.exe',
      fileUrl: 'https://media.example/getMediaStream/f.sh?e=1',
    });
    expect(unknown.format).toBeNull();
  });

  it('keeps the signed query out of raw', () => {
    const r = koreaiFileRecording(ctx, 'success', { fileName: 'a-merged.wav', fileUrl: signed });
    expect(JSON.stringify(r.raw)).not.toContain('SIG');
    expect(r.expiresAt).toBeNull();
  });

  it('rejects a non-https file URL as an invalid response', () => {
    const call = (): unknown =>
      koreaiFileRecording(ctx, 'success', { fileName: 'a.wav', fileUrl: 'ftp://x/a.wav' });
    expect(call).toThrow(ProviderError);
    try {
      call();
    } catch (e) {
      expect((e as ProviderError).kind).toBe('invalid_response');
      expect((e as ProviderError).field).toBe('recording[].fileUrl');
    }
  });
});

describe('getSessions windows', () => {
  it('splits a long range into windows under 7 days, newest first, without gaps', () => {
    const w = koreaiDateWindows('2024-01-01', '2024-01-20');
    expect(w[0]?.dateTo).toBe('2024-01-20T23:59:59.999Z');
    expect(w.at(-1)?.dateFrom).toBe('2024-01-01T00:00:00.000Z');
    for (let i = 0; i < w.length; i++) {
      const span = Date.parse(w[i]!.dateTo) - Date.parse(w[i]!.dateFrom);
      expect(span).toBeLessThan(7 * 86_400_000);
      if (i > 0) expect(Date.parse(w[i - 1]!.dateFrom) - Date.parse(w[i]!.dateTo)).toBe(1);
    }
  });

  it('rejects a date that does not parse', () => {
    expect(() => koreaiDateWindows('yesterday', '2024-01-02')).toThrow(ProviderError);
  });
});
