import { call, exportCommand, type CliCommand } from '../../transports/cli-command';

export const frameworkCommands: Record<string, CliCommand> = {
  'mapping export': exportCommand('mapping', 'role map', (ctx, format) => call(ctx, 'framework/export', { what: 'role-map', format })),
};
