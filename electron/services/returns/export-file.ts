import type { ReturnExportFormat } from '../../../shared/returns/channels';
import type { ReturnFile } from '../../../shared/returns/file';
import { CSV_MIME, XLSX_MIME } from '../common/export-table';
import { returnCsv } from './export-csv';
import { returnXlsx } from './export-xlsx';

/** A return's export file in each format, from the file's content alone (no database). */

export const RETURN_MIME: Record<ReturnExportFormat, string> = {
  xlsx: XLSX_MIME,
  csv: CSV_MIME,
  json: 'application/json',
  pdf: 'application/pdf',
};

/** The JSON file: the schema's key order, two-space indents, a final newline. */
export const returnJson = (file: ReturnFile): Buffer => Buffer.from(`${JSON.stringify(file, null, 2)}\n`, 'utf8');

export function returnFileName(file: ReturnFile, format: ReturnExportFormat): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const ods = safe(file.about.odsCode) || 'trust';
  return `ahp-support-return-${ods}-${safe(file.about.period)}-v${file.return.version}-${file.version}.${format}`;
}

export async function returnFileBytes(file: ReturnFile, format: ReturnExportFormat): Promise<Buffer> {
  switch (format) {
    case 'xlsx':
      return returnXlsx(file);
    case 'csv':
      return returnCsv(file);
    case 'json':
      return returnJson(file);
    case 'pdf': {
      // Loaded on first use: pdfmake, pdfkit and the fonts are most of the bundle, and most commands never print.
      const { returnPdf } = await import('./export-pdf');
      return returnPdf(file);
    }
  }
}
