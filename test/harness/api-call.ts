// One call to a running runtime's API over its WebSocket, as the UI makes it.
import { WebSocket } from 'ws';

export async function apiCall<Result = unknown>(url: string, method: string, params: Record<string, unknown> = {}): Promise<{ ok: boolean; result: Result; error?: { code: string } }> {
  const socket = new WebSocket(url);
  try {
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return await new Promise((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type: string; ok: boolean; result: Result; error?: { code: string } };
        if (message.type === 'result') resolve(message);
      });
      socket.send(JSON.stringify({ v: 1, type: 'call', id: '1', method, params }));
    });
  } finally {
    socket.close();
  }
}
