// Public surface of the transports: start/stop the OTLP receivers and the JSON API.
export { createReceiverApp, startHttpReceiver } from './httpReceiver';
export type { HttpReceiverHandle, HttpReceiverOptions, HttpReceiverStartOptions } from './httpReceiver';
export { startGrpcReceiver } from './grpcReceiver';
export type { GrpcReceiverHandle, GrpcReceiverOptions } from './grpcReceiver';
export type { TraceReader } from './apiRoutes';
export type { OtlpSink } from './sink';
export { DEFAULT_BODY_LIMIT_BYTES } from './body';
export { PortInUseError, ReceiverConfigError } from './errors';
export { isLoopbackHost } from './bindAddress';
export type { ReceiverTransport } from './errors';
export type { TraceWriter } from './windowSyncRoutes';
