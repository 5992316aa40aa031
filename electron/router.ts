import { issuesToDetails, type Result } from '../shared/common/api';
import { contract, isChannel, type Channel, type ChannelOutput } from '../shared/contract';
import { AppError } from './services/common/errors';
import type { Handler, HandlerContext } from './handler';
import { uploadHandlers } from './services/common/handlers';
import { frameworkHandlers } from './services/framework/handlers';
import { fundingHandlers } from './services/funding/handlers';
import { establishmentHandlers } from './services/establishment/handlers';
import { importHandlers } from './services/import/handlers';
import { pictureHandlers } from './services/picture/handlers';
import { returnsExportHandlers, returnsHandlers } from './services/returns/handlers';
import { icsHandlers } from './services/ics/handlers';
import { settingsHandlers } from './services/settings/handlers';
import { trainingHandlers } from './services/training/handlers';
import { workforceHandlers } from './services/workforce/handlers';

/**
 * The router every transport (Electron IPC, the local web host, the CLI) dispatches to: one table of
 * handlers, one per contract channel. Missing a channel here is a type error.
 */
export const handlers: { [C in Channel]: Handler<C> } = {
  ...uploadHandlers,
  ...settingsHandlers,
  ...workforceHandlers,
  ...importHandlers,
  ...establishmentHandlers,
  ...pictureHandlers,
  ...frameworkHandlers,
  ...trainingHandlers,
  ...fundingHandlers,
  ...returnsHandlers,
  ...icsHandlers,
  ...returnsExportHandlers,
};

export interface DispatchLog {
  slowQueryMs?: number;
  warn?: (message: string) => void;
}

/**
 * Validates the input against the contract, runs the handler, validates its output and returns a Result.
 * Unexpected errors are logged here and reach the caller only as a plain message, never a stack trace.
 */
export async function dispatch<C extends Channel>(
  ctx: HandlerContext,
  name: C,
  rawInput: unknown,
  log?: DispatchLog,
): Promise<Result<ChannelOutput<C>>>;
export async function dispatch(
  ctx: HandlerContext,
  name: string,
  rawInput: unknown,
  log?: DispatchLog,
): Promise<Result<unknown>>;
export async function dispatch(
  ctx: HandlerContext,
  name: string,
  rawInput: unknown,
  log: DispatchLog = {},
): Promise<Result<unknown>> {
  if (!isChannel(name)) {
    return { ok: false, error: { code: 'unknown-channel', message: `There is no request called ${name}.` } };
  }
  return run(ctx, name, rawInput, log);
}

async function run<C extends Channel>(
  ctx: HandlerContext,
  name: C,
  rawInput: unknown,
  log: DispatchLog,
): Promise<Result<ChannelOutput<C>>> {
  const def = contract[name];
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'Some of the information is missing or not valid.',
        details: issuesToDetails(parsed.error.issues),
      },
    };
  }
  const started = performance.now();
  try {
    const handler = handlers[name] as Handler<C>;
    // One request is one moment: every audit row it writes has the same time, so the trail shows it as one entry
    // however long it takes (a bulk mapping that crossed a second was shown as two).
    const at = ctx.now();
    const value = await handler({ ...ctx, now: () => at }, parsed.data as Parameters<Handler<C>>[1]);
    const checked = def.output.safeParse(value);
    if (!checked.success) {
      (log.warn ?? console.error)(
        `${name}: output does not match the contract: ${JSON.stringify(issuesToDetails(checked.error.issues))}`,
      );
      return {
        ok: false,
        error: { code: 'internal', message: 'Something went wrong preparing the answer. Nothing was lost.' },
      };
    }
    return { ok: true, value: checked.data as ChannelOutput<C> };
  } catch (err) {
    if (err instanceof AppError) {
      return {
        ok: false,
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      };
    }
    (log.warn ?? console.error)(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return {
      ok: false,
      error: { code: 'internal', message: 'Something went wrong. The change was not saved; please try again.' },
    };
  } finally {
    const ms = performance.now() - started;
    if (ms > (log.slowQueryMs ?? 500)) (log.warn ?? console.warn)(`slow request: ${name} took ${ms.toFixed(0)} ms`);
  }
}
