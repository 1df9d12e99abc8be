// grpc-js refuses a message over grpc.max_receive_message_length (or one that inflates past it) on its
// own, before any handler runs: it answers RESOURCE_EXHAUSTED, which the app's exporter logs in the app's
// console, and the receiver hears nothing. The user saw traces go missing in the editor with no word of
// why, where the HTTP port reports its 413 (RejectedExportError). grpc-js has no hook for the statuses it
// sends itself; what a server interceptor does see is a call that ended without a message read and
// without an answer of the chain's. Only grpc-js's own refusals end a call so, and its deadline: when the
// exporter goes away (a cancelled call, a closed connection), grpc-js's unary handler answers it through
// the chain (checked in grpcReceiver.test.ts).
import * as grpc from '@grpc/grpc-js';

/** `onUnread`: told the path of a call that grpc-js ended before its message reached the handler. */
export function unreadCallWatcher(onUnread: (path: string) => void): grpc.ServerInterceptor {
  return (method, call) => {
    let read = false;
    let answered = false;
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMessage: (message, nextMessage) => {
            read = true;
            nextMessage(message);
          },
          onCancel: () => {
            if (!read && !answered && !deadlinePassed(call.getDeadline())) onUnread(method.path);
          },
        }),
      sendStatus: (status, next) => {
        answered = true;
        next(status);
      },
    });
  };
}

function deadlinePassed(deadline: grpc.Deadline): boolean {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) && at <= Date.now();
}
