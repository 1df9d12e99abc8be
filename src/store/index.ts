// The trace store's public surface: everything else in this folder is an implementation detail.
export { TraceStore, type StoreStats, type TraceStoreOptions } from './traceStore';
export { StateDb, type SpanlightState } from './stateDb';
export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './traceIndex';
export { SEARCH_CHARS_PER_MESSAGE, SEARCH_CHARS_PER_SPAN, SEARCH_BYTES_PER_TRACE, type IndexedSpanInfo } from './spanMeta';
