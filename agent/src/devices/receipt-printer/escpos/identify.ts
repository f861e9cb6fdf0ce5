// Discovery's question to an unknown port: "are you an ESC/POS printer?" Read-only requests only:
// DLE EOT 1 (real-time printer status, devices.md §1.1) and, when that matched, GS I 67 (model
// name block, §1.4). Nothing that prints, cuts, resets (ESC @) or switches ASB off (GS a 0).
import { exchangeStep, printableText, requestReply } from '../../common/request-reply';
import { FIRST_PRINTER_ORDER, type DeviceIdentifier, type Identification } from '../../driver';
import type { TransportPort } from '../../../transports/transport';

const DLE_EOT_1 = Uint8Array.of(0x10, 0x04, 0x01);
const GS_I_MODEL_NAME = Uint8Array.of(0x1d, 0x49, 67);
/** A networked printer answers within a few ms; serial at 9600 baud ~1 ms a byte (probe.ts uses 500/800). */
const REPLY_TIMEOUT_MS = 800;
const BLOCK_HEADER = 0x5f;
const MAX_BLOCK_BYTES = 82;

import { isRealTimeStatusByte } from './protocol-stream';

export { isRealTimeStatusByte };

/** GS I 67's "printer information B" block: 5F, ASCII, 00 (§1.4). */
function blockComplete(received: Uint8Array): boolean {
  const start = received.indexOf(BLOCK_HEADER);
  return (start >= 0 && received.indexOf(0x00, start + 1) > start) || received.length >= MAX_BLOCK_BYTES;
}

async function askModel(port: TransportPort, signal: AbortSignal): Promise<{ step: string; model?: string }> {
  const { received } = await requestReply(port, GS_I_MODEL_NAME, { timeoutMs: REPLY_TIMEOUT_MS, signal, complete: blockComplete });
  const start = received.indexOf(BLOCK_HEADER);
  const end = start >= 0 ? received.indexOf(0x00, start + 1) : -1;
  const model = end > start ? printableText(received.subarray(start + 1, end)) : undefined;
  const meaning = model ? `model "${model}"` : received.length === 0 ? 'not answered (optional)' : 'not a model name block';
  return { step: exchangeStep('GS I 67', GS_I_MODEL_NAME, received, meaning), ...(model ? { model } : {}) };
}

/** DLE EOT 1 must come back as one status byte of the fixed pattern; then GS I 67 asks the model. */
export async function identifyEscPos(port: TransportPort, signal: AbortSignal): Promise<Identification> {
  await port.discardInput();
  const { received, writeError } = await requestReply(port, DLE_EOT_1, { timeoutMs: REPLY_TIMEOUT_MS, signal, complete: (r) => r.length >= 1 });
  if (writeError) return { matched: false, steps: [`DLE EOT 1 not sent: ${writeError}`.slice(0, 160)] };
  const first = received[0];
  if (first === undefined || !isRealTimeStatusByte(first)) {
    const meaning = first === undefined ? 'no answer' : 'not an ESC/POS status byte (0xx1xx10)';
    return { matched: false, steps: [exchangeStep('DLE EOT 1', DLE_EOT_1, received, meaning)] };
  }
  const steps = [exchangeStep('DLE EOT 1', DLE_EOT_1, received, 'ESC/POS real-time status (0xx1xx10)')];
  const { step, model } = await askModel(port, signal);
  return { matched: true, steps: [...steps, step], ...(model ? { model } : {}) };
}

export const escposIdentification: DeviceIdentifier = {
  order: FIRST_PRINTER_ORDER,
  // 9600: the transport's default and the Epson TM-T88III factory setting [S]; 38400: TM-T20 class [U].
  serialBaudRates: [9600, 38400],
  identify: identifyEscPos,
};
