/**
 * Data objects: metadata, citations, versions, data as typed columns or tables, verified downloads.
 *
 * @module
 */

export {
  type BatchItem,
  type BatchOptions,
  type ByteSourceOptions,
  type CitationStyle,
  type CsvOptions,
  type DataColumn,
  Dobj,
  type DownloadOptions,
  type FileStreamOptions,
  type GetColumnsOptions,
  type GetOptions,
  type Progress,
  type ReadFileOptions,
  type Table,
} from "./dobj.ts";
export type * from "./meta_types.ts";
export type { DobjRef, DobjRefs, DobjRow, DobjTable } from "./_refs.ts";
