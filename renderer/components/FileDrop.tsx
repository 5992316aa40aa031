import { useState, type DragEvent, type ReactNode } from 'react';
import { formatBytes } from './format';
import './file-drop.css';

export interface FileDropProgress {
  sentBytes: number;
  totalBytes: number;
}

interface FileDropBase {
  /** The file input's id; its label is `label`, so tests and screen readers find it by name. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** The input's accept list, e.g. ".csv,.xlsx". */
  accept: string;
  disabled?: boolean;
  /** The name of the file in hand, shown under the input (the cleared input no longer says it). */
  fileName?: string | null;
  /** Bytes sent so far while the file is being uploaded. */
  progress?: FileDropProgress | null;
  testId?: string;
}

/**
 * One file (`onFile`), or with `onFiles` several at once (the input takes many, a drop gives them all). The input
 * is cleared afterwards so the same file can be chosen again.
 */
type FileDropProps = FileDropBase &
  ({ onFile: (file: File) => void; onFiles?: never } | { onFiles: (files: File[]) => void; onFile?: never });

/**
 * The one way to give the app a file: a labelled file input (keyboard accessible, as a native input is) inside
 * an area that also takes a dropped file. It only picks the file; the page sends it with `uploadFile`.
 */
export function FileDrop({
  id,
  label,
  hint,
  accept,
  disabled = false,
  onFile,
  onFiles,
  fileName,
  progress,
  testId,
}: FileDropProps) {
  const [over, setOver] = useState(false);
  const take = (list: File[]) => {
    if (list.length === 0 || disabled) return;
    if (onFiles) onFiles(list);
    else if (list[0]) onFile?.(list[0]);
  };
  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    if (!disabled) setOver(true);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(Array.from(e.dataTransfer.files));
  };
  const sending = progress
    ? `Sending ${fileName ?? 'the file'}: ${formatBytes(progress.sentBytes)} of ${formatBytes(progress.totalBytes)}`
    : null;
  return (
    <div
      className={`field file-drop${over ? ' file-drop--over' : ''}${disabled ? ' file-drop--disabled' : ''}`}
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid={testId}
    >
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint !== undefined && (
        <div className="field__hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <p className="file-drop__prompt" aria-hidden="true">
        {onFiles ? 'Drop the files here, or choose them:' : 'Drop the file here, or choose it:'}
      </p>
      <input
        id={id}
        className="file-input"
        type="file"
        accept={accept}
        multiple={onFiles !== undefined}
        disabled={disabled}
        aria-describedby={hint !== undefined ? `${id}-hint` : undefined}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          take(files);
        }}
      />
      {fileName && !progress && (
        <p className="file-drop__chosen" data-testid={`${id}-chosen`}>
          Chosen: <strong>{fileName}</strong>
        </p>
      )}
      {sending && progress && (
        <div className="file-drop__progress" role="status">
          <div className="file-drop__progress-label">{sending}</div>
          <progress aria-label={sending} value={progress.sentBytes} max={progress.totalBytes || 1} />
        </div>
      )}
    </div>
  );
}
