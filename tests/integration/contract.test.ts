import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch, handlers } from '../../electron/router';
import { channelNames, contract } from '../../shared/contract';
import { tempStore, type TempStore } from './helpers';

let t: TempStore;
beforeAll(async () => {
  t = await tempStore();
});
afterAll(() => t.cleanup());

describe('the contract and the handler table', () => {
  it('has exactly one handler per channel', () => {
    expect(Object.keys(handlers).sort()).toEqual([...channelNames].sort());
  });

  it.each(channelNames)('%s rejects malformed input with a typed error', async (channel) => {
    for (const bad of [42, 'text', [1, 2], { id: 'not-a-number', name: 17, limit: -5 }]) {
      const parsed = contract[channel].input.safeParse(bad);
      if (parsed.success) continue; // e.g. an input with only optional fields accepts an object with unknown keys
      const result = await dispatch(t.ctx, channel, bad);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-input');
        expect(typeof result.error.message).toBe('string');
        expect(result.error.details).toBeDefined();
      }
    }
    // Every channel refuses at least a bare number.
    expect(contract[channel].input.safeParse(42).success).toBe(false);
  });

  it('answers an unknown channel with a typed error', async () => {
    expect(await dispatch(t.ctx, 'database/drop-everything', {})).toEqual({
      ok: false,
      error: { code: 'unknown-channel', message: 'There is no request called database/drop-everything.' },
    });
    expect((await dispatch(t.ctx, 'toString', {})).ok).toBe(false);
  });

  it('never leaks a stack trace when a service fails unexpectedly', async () => {
    const warn = vi.fn();
    const broken = {
      ...t.ctx,
      store: {
        get db(): never {
          throw new TypeError('secret internals at /home/x/file.ts:12');
        },
      },
    } as unknown as typeof t.ctx;
    const result = await dispatch(broken, 'workforce/services', {}, { warn });
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.not.stringContaining('secret') } });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('secret internals'));
  });
});
