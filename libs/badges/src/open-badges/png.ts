import { crc32 } from 'node:zlib';

/*
 * Just enough PNG structure for baking and for validating uploaded badge images: the 8-byte signature,
 * then chunks of [length u32 BE][type 4 ASCII letters][data][CRC-32 of type+data]. Pixel data is never
 * decoded. Validation is strict (CRCs checked, IHDR first and 13 bytes, IEND last and empty, nothing
 * after it) because a baked image is handed to third-party verifiers and must be a correct file.
 */

export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export class PngFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PngFormatError';
  }
}

export interface PngChunk {
  type: string;
  data: Uint8Array;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

function chunkCrc(typeBytes: Uint8Array, data: Uint8Array): number {
  return crc32(data, crc32(typeBytes));
}

export function readPngChunks(bytes: Uint8Array): PngChunk[] {
  if (!isPng(bytes)) throw new PngFormatError('Not a PNG: the signature is missing.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) throw new PngFormatError('Truncated chunk header.');
    const length = view.getUint32(offset);
    if (length > 0x7fffffff) throw new PngFormatError('Chunk length out of range.');
    const typeBytes = bytes.subarray(offset + 4, offset + 8);
    const type = String.fromCharCode(...typeBytes);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new PngFormatError('Invalid chunk type.');
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > bytes.length) throw new PngFormatError(`Truncated ${type} chunk.`);
    const data = bytes.subarray(dataStart, dataEnd);
    if (view.getUint32(dataEnd) !== chunkCrc(typeBytes, data)) throw new PngFormatError(`CRC mismatch in ${type}.`);
    chunks.push({ type, data });
    offset = dataEnd + 4;
    if (type === 'IEND') break;
  }
  if (chunks[0]?.type !== 'IHDR' || chunks[0].data.length !== 13) {
    throw new PngFormatError('The first chunk must be a 13-byte IHDR.');
  }
  const last = chunks[chunks.length - 1];
  if (last.type !== 'IEND' || last.data.length !== 0) throw new PngFormatError('The PNG does not end with IEND.');
  if (offset !== bytes.length) throw new PngFormatError('Data after IEND.');
  if (!chunks.some((chunk) => chunk.type === 'IDAT')) throw new PngFormatError('The PNG has no image data.');
  return chunks;
}

export function writePng(chunks: readonly PngChunk[]): Uint8Array {
  const size = PNG_SIGNATURE.length + chunks.reduce((sum, chunk) => sum + 12 + chunk.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(PNG_SIGNATURE);
  let offset = PNG_SIGNATURE.length;
  for (const chunk of chunks) {
    const typeBytes = new Uint8Array([...chunk.type].map((c) => c.charCodeAt(0)));
    view.setUint32(offset, chunk.data.length);
    out.set(typeBytes, offset + 4);
    out.set(chunk.data, offset + 8);
    view.setUint32(offset + 8 + chunk.data.length, chunkCrc(typeBytes, chunk.data));
    offset += 12 + chunk.data.length;
  }
  return out;
}

/** Image width and height from IHDR. */
export function pngDimensions(chunks: readonly PngChunk[]): { width: number; height: number } {
  const ihdr = chunks[0].data;
  const view = new DataView(ihdr.buffer, ihdr.byteOffset, ihdr.byteLength);
  return { width: view.getUint32(0), height: view.getUint32(4) };
}
