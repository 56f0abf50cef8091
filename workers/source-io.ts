/** The browser's abilities for core's data sources in a worker: fetch for URLs and the shipped samples (Vite serves them), and files the page handed over. */
import type { SourceIO } from '../core/data/sources';
import penguins from '@samples/penguins.json?url';
import cars from '@samples/cars.json?url';
import seattle from '@samples/seattle-weather.csv?url';
import flights20k from '@samples/flights-20k.json?url';
import flights200k from '@samples/flights-200k.json?url';

const SAMPLE_URLS: Record<string, string> = {
  'penguins.json': penguins,
  'cars.json': cars,
  'seattle-weather.csv': seattle,
  'flights-20k.json': flights20k,
  'flights-200k.json': flights200k,
};

async function bytesOf(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Source IO whose `readFile` serves the files the page transferred, by name. */
export function browserSourceIO(files: ReadonlyMap<string, ArrayBuffer> = new Map()): SourceIO {
  return {
    readFile: async (name) => {
      const bytes = files.get(name);
      if (!bytes) throw new Error(`no file named "${name}" was given to the worker (drop or pick the file first)`);
      return new Uint8Array(bytes);
    },
    readSample: (file) => bytesOf(SAMPLE_URLS[file]),
    fetch: (url) => fetch(url),
  };
}
