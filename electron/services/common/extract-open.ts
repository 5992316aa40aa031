import { AppError } from './errors';
import { ExtractError, openExtract, type Extract } from './file-reader';

/**
 * Opening a file a user gave for an import (staff extract, establishment report...), with file-level problems
 * (empty, header only, not a spreadsheet, cancelled) turned into one message that names the file.
 */

/** A file-level problem as the message the lead sees. */
export function extractProblem(error: unknown, fileName: string): AppError {
  if (error instanceof ExtractError) {
    if (error.code === 'aborted') return new AppError('refused', 'The import was cancelled. Nothing has been changed.');
    return new AppError('refused', `${fileName}: ${error.message} Nothing has been changed.`);
  }
  return error instanceof AppError
    ? error
    : new AppError('refused', `${fileName} could not be read: ${(error as Error).message}`);
}

/** Opens an extract, turning file-level problems into messages that name the file. */
export async function openChecked(
  filePath: string,
  fileName: string,
  options: { signal?: AbortSignal; onProgress?: (read: number, total: number) => void } = {},
): Promise<Extract> {
  try {
    return await openExtract(filePath, options);
  } catch (error) {
    throw extractProblem(error, fileName);
  }
}
