import { useCallback, useEffect, useState } from 'react';
import type { FileData, Result } from '../shared/common/api';
import type { BridgeApi } from '../shared/common/bridge';
import type { Channel, ChannelInput, ChannelOutput } from '../shared/contract';
import { UPLOAD_CHUNK_BYTES, type UploadKind } from '../shared/common/upload';

/**
 * The typed api client. Pages call `api(channel, input)` and get a Result; the transport underneath is
 * Electron's preload bridge when present, else the local web host over HTTP with its session cookie.
 */

declare global {
  interface Window {
    api?: BridgeApi;
  }
}

/** Settles once the sign-in from this page's address, if any, has been tried; every web call waits for it. */
let signingIn: Promise<void> = Promise.resolve();

/**
 * The web host prints an address with a one-off code (`/#code=...`). The page posts it once to `/sign-in`, which
 * answers an HttpOnly session cookie that the browser then sends with every call; the code is taken out of the
 * address at once. A used or wrong code changes nothing: a browser that already has its cookie goes on working,
 * and one that has not gets the host's message on its first call.
 */
export function signInFromLocation(): void {
  const match = /^#code=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (!match) return;
  history.replaceState(null, '', `${window.location.pathname}#/workforce`);
  signingIn = fetch('/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: match[1] }),
    credentials: 'same-origin',
  }).then(
    () => undefined,
    () => undefined,
  );
}

async function httpCall(channel: string, input: unknown): Promise<Result<unknown>> {
  await signingIn;
  try {
    const response = await fetch(`/api/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    });
    return (await response.json()) as Result<unknown>;
  } catch {
    return {
      ok: false,
      error: { code: 'internal', message: 'The app could not reach its database. Is it still running?' },
    };
  }
}

export async function api<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
  if (window.api) return window.api.call[channel](input);
  return (await httpCall(channel, input)) as Result<ChannelOutput<C>>;
}

/** Saves bytes a service produced: Electron's save dialog, or a browser download. */
export async function saveFile(file: FileData): Promise<boolean> {
  if (window.api) return (await window.api.saveFile(file)).saved;
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return true;
}

/** One chunk as base64, encoded by the browser itself. */
function chunkBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(blob);
  });
}

/**
 * Sends a file the user picked or dropped through the common upload, one chunk at a time (never the whole file
 * in memory), and answers the upload reference that the channel using the file takes.
 */
export async function uploadFile(
  file: File,
  kind: UploadKind,
  onProgress?: (sentBytes: number, totalBytes: number) => void,
): Promise<Result<{ uploadId: string }>> {
  let uploadId: string | null = null;
  let offset = 0;
  for (;;) {
    const slice = file.slice(offset, offset + UPLOAD_CHUNK_BYTES);
    let base64: string;
    try {
      base64 = await chunkBase64(slice);
    } catch {
      if (uploadId) void api('upload/discard', { uploadId });
      return {
        ok: false,
        error: {
          code: 'invalid-input',
          message: `${file.name} could not be read. Check it is still there and choose it again.`,
        },
      };
    }
    const done = offset + slice.size >= file.size;
    const result: Result<{ uploadId: string }> = await api('upload/chunk', {
      uploadId,
      kind,
      fileName: file.name,
      totalBytes: file.size,
      offset,
      base64,
      done,
    });
    if (!result.ok) {
      if (uploadId) void api('upload/discard', { uploadId });
      return result;
    }
    uploadId = result.value.uploadId;
    offset += slice.size;
    onProgress?.(offset, file.size);
    if (done) return { ok: true, value: { uploadId } };
  }
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads a channel's answer when the component mounts or `key` changes. */
export function useApi<C extends Channel>(channel: C, input: ChannelInput<C>, key = ''): Loaded<ChannelOutput<C>> {
  const [state, setState] = useState<{ data?: ChannelOutput<C>; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const inputKey = JSON.stringify(input);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    void api(channel, JSON.parse(inputKey) as ChannelInput<C>).then((result) => {
      if (!live) return;
      setState(result.ok ? { data: result.value, loading: false } : { error: result.error.message, loading: false });
    });
    return () => {
      live = false;
    };
  }, [channel, inputKey, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
