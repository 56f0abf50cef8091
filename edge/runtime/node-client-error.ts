/**
 * What Node's HTTP server does with a request llhttp refuses, or one that timed out, with one
 * change: bytes after a request that asked to close the connection (`Connection: close`) are refused
 * by llhttp, and Node's default answer to that (400, then destroy the socket) would also throw away
 * the answer to the request itself, still being made. Here that answer goes out, the connection then
 * closes as asked, and the extra bytes are never parsed (tests/hostile/transport.test.ts).
 */
import type { Duplex } from 'node:stream';

/** Node's canned answers (lib/_http_server.js), by the error's code. */
const ANSWERS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
};
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/** The server's `clientError` listener. */
export function onClientError(e: NodeJS.ErrnoException, socket: Duplex): void {
  if (e.code === 'HPE_CLOSED_CONNECTION') {
    // Node ends the connection itself once the answer to the closing request is written.
    socket.pause();
    return;
  }
  // As Node does without a listener: an answer only where none has started on this connection.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) socket.write(ANSWERS[e.code ?? ''] ?? BAD_REQUEST);
  socket.destroy(e);
}
