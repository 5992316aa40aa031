import { useState } from 'react';
import { saveFile } from '../api';
import type { FileData, Result } from '../../shared/common/api';
import { useMessage } from './message';

export type DownloadFormat = 'xlsx' | 'csv' | 'json' | 'pdf';

const FORMAT_NAMES: Record<DownloadFormat, string> = { xlsx: 'Excel', csv: 'CSV', json: 'JSON', pdf: 'PDF' };

/**
 * "Download … (Excel)", "Download … (CSV)" and any other formats asked for: asks a service for the file and
 * saves it, saying what happened.
 */
export function DownloadButtons<F extends DownloadFormat = 'xlsx' | 'csv'>({
  label,
  produce,
  formats = ['xlsx', 'csv'] as F[],
  className,
}: {
  label: string;
  produce: (format: F) => Promise<Result<FileData>>;
  formats?: readonly F[];
  className?: string;
}) {
  const { setMessage, notice } = useMessage();
  const [busy, setBusy] = useState(false);
  const download = async (format: F) => {
    setBusy(true);
    const result = await produce(format);
    setBusy(false);
    if (!result.ok) return setMessage({ kind: 'warning', text: result.error.message });
    await saveFile(result.value);
    setMessage({ kind: 'success', text: `${result.value.fileName} created.` });
  };
  return (
    <div className={className}>
      <div className="button-group">
        {formats.map((format) => (
          <button
            key={format}
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => download(format)}
          >
            Download {label} ({FORMAT_NAMES[format]})
          </button>
        ))}
      </div>
      {notice}
    </div>
  );
}
