/**
 * The Open Inference Protocol's bodies, from the specs' own examples: inference_rest.md (kserve/
 * open-inference-protocol) for JSON, extension_binary_data.md (triton-inference-server/server) for
 * binary tensors; and the hostile bodies a client can send instead.
 */
import { describe, expect, it } from 'vitest';
import { FlywheelError } from '../../core/errors';
import { INFERENCE_HEADER } from './oip-binary';
import { checkRequestedOutputs, inferAnswer, parseInferBody } from './oip-request';
import { tensorsToRows } from './oip-tensors';

const enc = new TextEncoder();

/** A body as the binary extension lays it out: JSON, then the tensors' bytes; and its header value. */
function binaryBody(json: unknown, ...tensors: Uint8Array[]): { body: Uint8Array; header: string } {
  const head = enc.encode(JSON.stringify(json));
  const body = new Uint8Array(head.byteLength + tensors.reduce((a, t) => a + t.byteLength, 0));
  body.set(head);
  let at = head.byteLength;
  for (const t of tensors) {
    body.set(t, at);
    at += t.byteLength;
  }
  return { body, header: String(head.byteLength) };
}

/** Little-endian bytes of `values` as `Array` (a typed array type) writes them on this little-endian machine. */
function le(
  values: ArrayLike<number>,
  Array: Uint32ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor,
): Uint8Array {
  return new Uint8Array(Array.from(values).buffer);
}

/** BYTES elements as tritonclient's serialize_byte_tensor writes them: a uint32 length, then the bytes. */
function bytesTensor(items: string[]): Uint8Array {
  const parts = items.map((s) => enc.encode(s));
  const out = new Uint8Array(parts.reduce((a, p) => a + 4 + p.byteLength, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p.byteLength, true);
    out.set(p, at + 4);
    at += 4 + p.byteLength;
  }
  return out;
}

function failure(f: () => unknown): FlywheelError {
  try {
    f();
  } catch (e) {
    return e as FlywheelError;
  }
  throw new Error('expected a failure');
}

const json = (body: unknown) => parseInferBody('application/json', undefined, enc.encode(JSON.stringify(body)));

// inference_rest.md, "Inference Request Examples".
const SPEC_REQUEST = {
  id: '42',
  inputs: [
    { name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] },
    { name: 'input1', shape: [3], datatype: 'BOOL', data: [true] },
  ],
  outputs: [{ name: 'output0' }],
};

describe('JSON tensors (inference_rest.md)', () => {
  it("reads the spec's example input, and refuses its BOOL [3] tensor that holds one value, naming it", () => {
    const ok = json({ ...SPEC_REQUEST, inputs: [SPEC_REQUEST.inputs[0]] });
    expect(ok.request.id).toBe('42');
    expect(ok.values).toEqual([[1, 2, 3, 4]]);
    const e = failure(() => json(SPEC_REQUEST));
    expect(e.code).toBe('bad_input');
    expect(e.message).toBe('inputs[1].data: input1 has 1 value(s) for shape [3], which holds 3');
  });

  it('takes data in its nested row-major shape as well as flat', () => {
    const nested = json({
      inputs: [
        {
          name: 'input0',
          shape: [2, 2],
          datatype: 'UINT32',
          data: [
            [1, 2],
            [3, 4],
          ],
        },
      ],
    });
    expect(nested.values).toEqual([[1, 2, 3, 4]]);
  });

  it('refuses nesting that does not match the shape, naming where', () => {
    expect(
      failure(() => json({ inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [[1, 2], [3]] }] })).message,
    ).toBe('inputs[0].data[1]: x has 1 value(s) where shape [2, 2] needs 2 (dimension 1)');
    expect(
      failure(() => json({ inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [[1, 2], 3] }] })).message,
    ).toContain('inputs[0].data[1]: x has a scalar');
    expect(
      failure(() => json({ inputs: [{ name: 'x', shape: [2], datatype: 'FP32', data: [[1], [2]] }] })).message,
    ).toContain('nested deeper than the shape');
    expect(
      failure(() => json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [{}] }] })).message,
    ).toContain('inputs[0].data[0]: expected a number, string, boolean or null');
  });

  it('holds parameters to strings, numbers and booleans', () => {
    const e = failure(() =>
      json({ parameters: { nested: { a: 1 } }, inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] }),
    );
    expect(e.message).toContain('parameters.nested');
  });

  it('reads tensors sent without a content type, as tritonclient sends them', () => {
    const parsed = parseInferBody(
      '',
      undefined,
      enc.encode(JSON.stringify({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1.5] }] })),
    );
    expect(parsed.values).toEqual([[1.5]]);
  });
});

describe('rows from tensors', () => {
  const features = ['a', 'b'];
  it('makes a row per element of per-feature tensors, [n] or [n, 1]', () => {
    const inputs = [
      { name: 'a', shape: [2], datatype: 'FP32' as const, data: [] },
      { name: 'b', shape: [2, 1], datatype: 'BYTES' as const, data: [] },
    ];
    expect(
      tensorsToRows(
        inputs,
        [
          [1, 2],
          ['x', 'y'],
        ],
        features,
      ),
    ).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
  });

  it('makes rows in signature order from one [n, features] tensor', () => {
    expect(
      tensorsToRows([{ name: 'input', shape: [2, 2], datatype: 'BYTES', data: [] }], [[1, 'x', 2, 'y']], features),
    ).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });

  it('refuses inputs the model does not have, naming them and the ones it has', () => {
    const e = failure(() =>
      tensorsToRows(
        [
          { name: 'a', shape: [1], datatype: 'FP32', data: [] },
          { name: 'c', shape: [1], datatype: 'FP32', data: [] },
        ],
        [[1], [2]],
        features,
      ),
    );
    expect(e.message).toBe(
      'input(s) "c" are not features of the model; its inputs are "a", "b" (or one [n, 2] tensor in that order)',
    );
    const twice = failure(() =>
      tensorsToRows(
        [
          { name: 'a', shape: [1], datatype: 'FP32', data: [] },
          { name: 'a', shape: [1], datatype: 'FP32', data: [] },
        ],
        [[1], [2]],
        features,
      ),
    );
    expect(twice.message).toBe('inputs[1].name: a is given twice');
  });
});

// extension_binary_data.md, "Examples": UINT32 [2, 2] (16 bytes) and BOOL [3] (3 bytes), output0 asked for as binary.
const BINARY_REQUEST = {
  model_name: 'mymodel',
  inputs: [
    { name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 16 } },
    { name: 'input1', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } },
  ],
  outputs: [{ name: 'output0', parameters: { binary_data: true } }],
};

describe('binary tensors (extension_binary_data.md)', () => {
  const parseBinary = (body: unknown, ...tensors: Uint8Array[]) => {
    const b = binaryBody(body, ...tensors);
    return parseInferBody('application/octet-stream', b.header, b.body);
  };

  it("reads the extension's example request: 19 bytes after the JSON", () => {
    const { request, values } = parseBinary(BINARY_REQUEST, le([1, 2, 3, 4], Uint32Array), new Uint8Array([1, 0, 1]));
    expect(values).toEqual([
      [1, 2, 3, 4],
      [true, false, true],
    ]);
    expect(request.model_name).toBe('mymodel');
    expect(request.outputs).toEqual([{ name: 'output0', parameters: { binary_data: true } }]);
  });

  it('reads every datatype little-endian, and BYTES as length-prefixed UTF-8', () => {
    const f16 = new Uint8Array([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c]); // 1, -2, +Infinity
    const i64 = new Uint8Array(new BigInt64Array([-5n, 2n ** 40n]).buffer);
    const f64 = new Uint8Array(new Float64Array([0.1]).buffer);
    const inputs = [
      { name: 'h', shape: [3], datatype: 'FP16', parameters: { binary_data_size: 6 } },
      { name: 'i', shape: [2], datatype: 'INT64', parameters: { binary_data_size: 16 } },
      { name: 'd', shape: [1], datatype: 'FP64', parameters: { binary_data_size: 8 } },
      { name: 's', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: 4 + 6 + 4 + 0 } },
      { name: 'j', shape: [1], datatype: 'INT32', data: [7] },
      { name: 'n', shape: [2], datatype: 'INT8', parameters: { binary_data_size: 2 } },
    ];
    const { values } = parseBinary(
      { inputs },
      f16,
      i64,
      f64,
      bytesTensor(['Biscoe', '']),
      new Uint8Array([0xff, 0x05]),
    );
    expect(values).toEqual([[1, -2, Infinity], [-5, 2 ** 40], [0.1], ['Biscoe', ''], [7], [-1, 5]]);
  });

  it('reads a body that is all JSON under the header, as a JSON request', () => {
    const b = binaryBody({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [2] }] });
    expect(parseInferBody('application/json', b.header, b.body).values).toEqual([[2]]);
  });

  it('refuses a header length that is not a byte count, or longer than the body', () => {
    const b = binaryBody(BINARY_REQUEST, new Uint8Array(19));
    expect(failure(() => parseInferBody('application/octet-stream', 'abc', b.body)).message).toContain(
      `${INFERENCE_HEADER} must be the JSON header's length in bytes`,
    );
    expect(failure(() => parseInferBody('application/octet-stream', '-1', b.body)).code).toBe('bad_input');
    expect(
      failure(() => parseInferBody('application/octet-stream', String(b.body.byteLength + 1), b.body)).message,
    ).toBe(
      `${INFERENCE_HEADER} says the JSON header is ${b.body.byteLength + 1} bytes, but the whole body is ${b.body.byteLength}`,
    );
  });

  it('refuses a header length that cuts the JSON, as invalid JSON', () => {
    const b = binaryBody(BINARY_REQUEST, new Uint8Array(19));
    expect(
      failure(() => parseInferBody('application/octet-stream', String(Number(b.header) - 3), b.body)).message,
    ).toContain('not valid JSON');
  });

  it('refuses a body cut short, naming the tensor that runs past its end', () => {
    const e = failure(() => parseBinary(BINARY_REQUEST, le([1, 2, 3, 4], Uint32Array), new Uint8Array([1])));
    expect(e.message).toBe(
      'inputs[1].parameters.binary_data_size: input1 declares 3 bytes of binary data but only 1 remain after the JSON header (the body is cut short, or the sizes are wrong)',
    );
  });

  it('refuses bytes left over after the last tensor', () => {
    const e = failure(() =>
      parseBinary(BINARY_REQUEST, le([1, 2, 3, 4], Uint32Array), new Uint8Array([1, 0, 1, 9, 9])),
    );
    expect(e.message).toContain('the body has 2 byte(s) after the last binary input');
  });

  it('refuses a size that does not fit the datatype and shape', () => {
    const lying = {
      inputs: [{ name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 12 } }],
    };
    expect(failure(() => parseBinary(lying, new Uint8Array(12))).message).toBe(
      'inputs[0].parameters.binary_data_size: input0 is UINT32 of shape [2, 2]: 4 × 4 = 16 bytes, but binary_data_size is 12',
    );
    const half = { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', parameters: { binary_data_size: 2.5 } }] };
    expect(failure(() => parseBinary(half, new Uint8Array(2))).message).toContain(
      "x's binary_data_size must be a whole number of bytes, got 2.5",
    );
    const negative = { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', parameters: { binary_data_size: -4 } }] };
    expect(failure(() => parseBinary(negative, new Uint8Array(4))).code).toBe('bad_input');
  });

  it('refuses BOOL bytes other than 0 and 1', () => {
    const req = { inputs: [{ name: 'b', shape: [2], datatype: 'BOOL', parameters: { binary_data_size: 2 } }] };
    expect(failure(() => parseBinary(req, new Uint8Array([1, 2]))).message).toContain('inputs[0][1]: b is BOOL');
  });

  it('refuses BYTES elements whose lengths lie, that are too few or too many, or not UTF-8', () => {
    const req = (size: number, n = 1) => ({
      inputs: [{ name: 's', shape: [n], datatype: 'BYTES', parameters: { binary_data_size: size } }],
    });
    const lying = bytesTensor(['abc']);
    new DataView(lying.buffer).setUint32(0, 1000, true);
    expect(failure(() => parseBinary(req(lying.byteLength), lying)).message).toBe(
      "inputs[0][0]: s's BYTES element 0 says it is 1000 bytes long, but only 3 remain in the tensor",
    );
    expect(failure(() => parseBinary(req(2), new Uint8Array(2))).message).toContain(
      'needs a 4-byte length, but only 2 byte(s) remain',
    );
    const two = bytesTensor(['a', 'b']);
    expect(failure(() => parseBinary(req(two.byteLength), two)).message).toContain(
      'holds more than the 1 BYTES element(s)',
    );
    expect(failure(() => parseBinary(req(two.byteLength, 3), two)).message).toContain(
      'holds 2 BYTES element(s), but shape [3] needs 3',
    );
    const bad = new Uint8Array([1, 0, 0, 0, 0xff]);
    expect(failure(() => parseBinary(req(5), bad)).message).toContain('is not UTF-8 text');
  });

  it('refuses data twice, data missing, and a binary body without the header', () => {
    const twice = {
      inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1], parameters: { binary_data_size: 4 } }],
    };
    expect(failure(() => parseBinary(twice, new Uint8Array(4))).message).toContain(
      'has both data and parameters.binary_data_size',
    );
    const none = { inputs: [{ name: 'x', shape: [1], datatype: 'FP32' }] };
    expect(failure(() => parseBinary(none)).message).toContain('has neither data nor parameters.binary_data_size');
    expect(failure(() => json(none)).message).toContain('x has no data');
    expect(failure(() => parseInferBody('application/octet-stream', undefined, new Uint8Array(4))).message).toBe(
      `a binary body needs the ${INFERENCE_HEADER} header, the length of its JSON part`,
    );
    expect(failure(() => parseInferBody('text/plain', '2', enc.encode('{}'))).message).toContain(
      'expected content-type application/octet-stream',
    );
  });
});

describe('outputs', () => {
  const classifier = [
    { label: 'Gentoo', probabilities: { Adelie: 0.25, Chinstrap: 0.25, Gentoo: 0.5 } },
    { label: 'Adelie', probabilities: { Adelie: 0.75, Chinstrap: 0.125, Gentoo: 0.125 } },
  ];
  const head = { model_name: 'm', model_version: '1', parameters: { request_id: 'r' } };
  const request = (extra: object) =>
    json({ inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }], ...extra }).request;

  it('refuses outputs the model does not have, naming them and the ones it has', () => {
    const e = failure(() =>
      checkRequestedOutputs(request({ outputs: [{ name: 'label' }, { name: 'output0' }] }), ['label', 'probabilities']),
    );
    expect(e.message).toBe('the model has no output(s) "output0"; its outputs are "label", "probabilities"');
    expect(
      failure(() =>
        checkRequestedOutputs(request({ outputs: [{ name: 'label', parameters: { classification: 2 } }] }), ['label']),
      ).code,
    ).toBe('unsupported');
    expect(
      failure(() =>
        checkRequestedOutputs(request({ outputs: [{ name: 'label', parameters: { binary_data: 'yes' } }] }), ['label']),
      ).message,
    ).toContain('binary_data must be true or false');
  });

  it('answers JSON outputs in the order asked, with the id', () => {
    const answer = inferAnswer(
      request({ id: '42', outputs: [{ name: 'probabilities' }, { name: 'label' }] }),
      head,
      classifier,
    );
    expect(answer.binary).toBeUndefined();
    expect(answer.json).toEqual({
      ...head,
      id: '42',
      outputs: [
        { name: 'probabilities', datatype: 'FP32', shape: [2, 3], data: [0.25, 0.25, 0.5, 0.75, 0.125, 0.125] },
        { name: 'label', datatype: 'BYTES', shape: [2], data: ['Gentoo', 'Adelie'] },
      ],
    });
  });

  it('answers binary outputs after the JSON header, as the extension lays them out', () => {
    const answer = inferAnswer(
      request({
        outputs: [{ name: 'label', parameters: { binary_data: false } }, { name: 'probabilities' }],
        parameters: { binary_data_output: true },
      }),
      head,
      classifier,
    );
    const { body, headerLength } = answer.binary!;
    const header = JSON.parse(new TextDecoder().decode(body.subarray(0, headerLength)));
    expect(header.outputs).toEqual([
      { name: 'label', datatype: 'BYTES', shape: [2], data: ['Gentoo', 'Adelie'] },
      { name: 'probabilities', datatype: 'FP32', shape: [2, 3], parameters: { binary_data_size: 24 } },
    ]);
    expect(body.byteLength).toBe(headerLength + 24);
    expect(Array.from(new Float32Array(body.slice(headerLength).buffer))).toEqual([
      0.25, 0.25, 0.5, 0.75, 0.125, 0.125,
    ]);
  });

  it('writes BYTES outputs length-prefixed', () => {
    const answer = inferAnswer(
      request({ outputs: [{ name: 'label', parameters: { binary_data: true } }] }),
      head,
      classifier,
    );
    const { body, headerLength } = answer.binary!;
    expect(Array.from(body.subarray(headerLength))).toEqual(Array.from(bytesTensor(['Gentoo', 'Adelie'])));
  });
});
