import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { type ImportRow } from '@crm/domain';
import { type CsvEncoding, decodeCsvBytes } from './csv/decode-text';
import { readCsv } from './csv/read-csv';
import { type CsvDelimiter } from './csv/sniff-delimiter';
import { type ImportSessionRow } from './imports.repository';

const gunzipAsync = promisify(gunzip);

/** The rows of an import's stored file (kept gzipped), read again as they were read at upload. */
export async function readStoredRows(
  file: { bytes: Buffer; gzip: boolean },
  session: Pick<ImportSessionRow, 'encoding' | 'delimiter'>,
): Promise<ImportRow[]> {
  const { text } = decodeCsvBytes(
    file.gzip ? await gunzipAsync(file.bytes) : file.bytes,
    session.encoding as CsvEncoding,
  );
  return (await readCsv(text, { delimiter: session.delimiter as CsvDelimiter })).rows;
}
