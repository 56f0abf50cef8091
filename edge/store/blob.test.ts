import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertBlobKey } from './blob';
import { blobContract } from './blob.contract';
import { diskBlobStore } from './disk-blob';
import { memoryBlobStore } from './memory-blob';

const dir = mkdtempSync(path.join(tmpdir(), 'flywheel-blob-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let roots = 0;

blobContract('disk', async () => diskBlobStore(path.join(dir, `root-${roots++}`)));
blobContract('memory', async () => memoryBlobStore());

describe('assertBlobKey', () => {
  it('accepts bundle keys and names the reason for a refusal', () => {
    expect(() => assertBlobKey('bundles/penguins-species/0f3a.zip')).not.toThrow();
    expect(() => assertBlobKey('a.b/c..d/e')).not.toThrow();
    expect(() => assertBlobKey('bundles/../../etc/passwd')).toThrow(/"\.\." segment/);
    expect(() => assertBlobKey('a\0b')).toThrow(/control character/);
  });
});
