import { describe, expect, it } from 'vitest';
import {
  envoyRemoteRecording,
  mapEnvoyStatus,
} from '../../../main/core/providers/envoy-recording.ts';

const callId = 'call_0b1c2d3e-1111-4222-8333-944455556666';

describe('Envoy recording_status words', () => {
  it.each([
    ['AVAILABLE', 'ready'],
    ['COMPLETED', 'ready'],
    ['available', 'ready'],
    ['PROCESSING', 'pending'],
    ['IN_PROGRESS', 'pending'],
    ['PENDING', 'pending'],
    ['FAILED', 'failed'],
    ['DELETED', 'gone'],
    ['EXPIRED', 'gone'],
    ['SOMETHING_NEW', 'pending'],
  ])('%s → %s', (word, status) => {
    expect(mapEnvoyStatus(word)).toBe(status);
  });
});

describe('envoyRemoteRecording', () => {
  const call = {
    id: callId,
    status: 'COMPLETED',
    call_time: '2024-01-15T09:00:00Z',
    phone_number: '+15550001111',
    from_number: '+15550002222',
    to_number: '+15550001111',
    recording_status: 'AVAILABLE',
  };
  const recording = {
    call_id: callId,
    url: 'https://cdn.example/rec/abc.m4a?token=SECRET',
    content_type: 'audio/mp4',
    expires_at: '2024-01-15T10:00:00Z',
    recording_status: 'AVAILABLE',
    duration_seconds: 12.5,
    file_size_bytes: 1234,
    recording_start_time: '2024-01-15T09:00:05Z',
  };

  it('maps audio/mp4 to m4a and video/mp4 to mp4', () => {
    expect(envoyRemoteRecording(callId, call, recording).format).toBe('m4a');
    expect(
      envoyRemoteRecording(callId, call, { ...recording, content_type: 'video/mp4' }).format,
    ).toBe('mp4');
  });

  it('collects the phone numbers once each and uses recording_start_time for recordedAt', () => {
    const r = envoyRemoteRecording(callId, call, recording);
    expect(r.phoneNumbers).toEqual(['+15550001111', '+15550002222']);
    expect(r.recordedAt).toBe('2024-01-15T09:00:05Z');
    expect(envoyRemoteRecording(callId, call, null).recordedAt).toBe('2024-01-15T09:00:00Z');
  });

  it('does not take the playback URL expiry as a retention date, nor keep its signature', () => {
    const r = envoyRemoteRecording(callId, call, recording);
    expect(r.expiresAt).toBeNull();
    expect(JSON.stringify(r.raw)).not.toContain('SECRET');
  });

  it('accepts null duration, size and start time', () => {
    const r = envoyRemoteRecording(callId, call, {
      ...recording,
      duration_seconds: null,
      file_size_bytes: null,
      recording_start_time: null,
    });
    expect(r.durationSec).toBeNull();
    expect(r.size).toBeNull();
    expect(r.recordedAt).toBe('2024-01-15T09:00:00Z');
  });

  it('keeps an unknown status word and treats it as pending', () => {
    const r = envoyRemoteRecording(callId, { ...call, recording_status: 'TRANSCODING' }, null);
    expect(r.status).toBe('pending');
    expect(r.providerStatus).toBe('TRANSCODING');
  });
});
