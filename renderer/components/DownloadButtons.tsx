import { useState } from 'react';
import { saveFile } from '../api';
import type { FileData, Result } from '../../shared/common/api';
import { useMessage } from './message';

/** "Download … (Excel)" and "Download … (CSV)": asks a service for the file and saves it, saying what happened. */
export function DownloadButtons({
  label,
  produce,
  className,
}: {
  label: string;
  produce: (format: 'xlsx' | 'csv') => Promise<Result<FileData>>;
  className?: string;
}) {
  const { setMessage, notice } = useMessage();
  const [busy, setBusy] = useState(false);
  const download = async (format: 'xlsx' | 'csv') => {
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
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => download('xlsx')}>
          Download {label} (Excel)
        </button>
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => download('csv')}>
          Download {label} (CSV)
        </button>
      </div>
      {notice}
    </div>
  );
}
