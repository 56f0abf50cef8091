/**
 * The reference values the unit tests cite, recomputed by the Python that produced them (SciPy and
 * scikit-learn, in tests/reference/*.py) and compared with the fixture modules (*.reference.ts) the
 * unit tests import, so a constant cannot drift from its source unnoticed. Runs with Debian's
 * /usr/bin/python3 (python3-numpy, python3-scipy, python3-sklearn); skipped, saying which is missing,
 * where it has not got them.
 */
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHI_SQUARE_SF_CASES } from '../../core/drift/chi-square-distribution.reference';
import { CHI_SQUARE_TEST_CASES, CHI_SQUARE_UNSEEN_CATEGORY } from '../../core/drift/chi-square-test.reference';
import { FEATURE_DRIFT_CASES } from '../../core/drift/feature-drift.reference';
import { STURGES_HISTOGRAM_CASES } from '../../core/drift/histogram.reference';
import { INCOMPLETE_GAMMA_CASES } from '../../core/drift/incomplete-gamma.reference';
import { JENSEN_SHANNON_CASES } from '../../core/drift/jensen-shannon.reference';
import { KOLMOGOROV_SF_CASES } from '../../core/drift/kolmogorov-distribution.reference';
import { KS_CASES } from '../../core/drift/kolmogorov-smirnov.reference';
import { LOG_GAMMA_CASES } from '../../core/drift/log-gamma.reference';
import { NORMAL_SF_CASES } from '../../core/drift/normal-distribution.reference';
import { PSI_CASES } from '../../core/drift/psi.reference';
import { SMIRNOV_CASES } from '../../core/drift/smirnov.reference';
import { WASSERSTEIN_CASES } from '../../core/drift/wasserstein.reference';
import { Z_TEST_CASES, Z_TEST_UNDERFLOW } from '../../core/drift/z-test.reference';
import { CLASSIFICATION_CASES } from '../../core/metrics/classification.reference';
import { REGRESSION_CASES, REGRESSION_FLOAT32_CASE } from '../../core/metrics/regression.reference';
import { ROC_AUC_CASES } from '../../core/metrics/roc-auc.reference';
import { SLICES_REFERENCE } from '../../core/metrics/slices.reference';
import {
  NORMAL_QUANTILE_CASES,
  QUANTILE_TRANSFORM_CASE,
  SKEWNESS_CASES,
} from '../../core/features/quantile-map.reference';
import { CLASS_WEIGHT_CASES } from '../../core/model/class-weights.reference';

const PYTHON = '/usr/bin/python3';
const MODULES = ['numpy', 'scipy', 'sklearn'];

/**
 * How far a constant may sit from what the script prints, relative to it. The constants were printed
 * at full precision; what is left are last bits that differ between SciPy releases (1.10 on Debian
 * 12, 1.17 where some were first printed) and between BLAS builds.
 */
const RELATIVE_TOLERANCE = 1e-12;

/** Each script and the fixture constants its printed keys stand for. */
const SCRIPTS: Record<string, Record<string, unknown>> = {
  'drift.py': {
    LOG_GAMMA_CASES,
    INCOMPLETE_GAMMA_CASES,
    CHI_SQUARE_SF_CASES,
    NORMAL_SF_CASES,
    SMIRNOV_CASES,
    KOLMOGOROV_SF_CASES,
    JENSEN_SHANNON_CASES,
    PSI_CASES,
    STURGES_HISTOGRAM_CASES,
    CHI_SQUARE_TEST_CASES,
    CHI_SQUARE_UNSEEN_CATEGORY,
    Z_TEST_CASES,
    Z_TEST_UNDERFLOW,
    KS_CASES,
    WASSERSTEIN_CASES,
    FEATURE_DRIFT_CASES,
  },
  'metrics.py': { CLASSIFICATION_CASES, ROC_AUC_CASES, REGRESSION_CASES, REGRESSION_FLOAT32_CASE, SLICES_REFERENCE },
  'class_weights.py': { CLASS_WEIGHT_CASES },
  'quantile.py': { NORMAL_QUANTILE_CASES, QUANTILE_TRANSFORM_CASE, SKEWNESS_CASES },
};

/** Why the scripts cannot run here, or null when they can. */
function whyNotRunnable(): string | null {
  const probe = `import importlib.util, sys; print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))`;
  try {
    const missing = execFileSync(PYTHON, ['-c', probe, ...MODULES], { encoding: 'utf8' }).trim();
    return missing
      ? `${PYTHON} lacks ${missing.split(' ').join(', ')} (Debian: python3-numpy, python3-scipy, python3-sklearn)`
      : null;
  } catch (error) {
    return `${PYTHON} cannot run: ${(error as Error).message}`;
  }
}

/** JSON has no ±∞ or NaN: the scripts print them as strings. */
function revive(_key: string, value: unknown): unknown {
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (value === 'NaN') return Number.NaN;
  return value;
}

async function runScript(name: string): Promise<Record<string, unknown>> {
  const path = fileURLToPath(new URL(name, import.meta.url));
  const { stdout } = await promisify(execFile)(PYTHON, ['-B', path], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout, revive) as Record<string, unknown>;
}

/**
 * Where `actual` and `expected` differ, as "path: what" lines: deep equality, except that numbers
 * agree within RELATIVE_TOLERANCE.
 */
function differences(actual: unknown, expected: unknown, path: string): string[] {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number')
      return [`${path}: Python prints ${JSON.stringify(actual)}, the fixture has ${expected}`];
    if (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) return [];
    const error = Math.abs(actual - expected);
    if (error <= RELATIVE_TOLERANCE * Math.abs(expected)) return [];
    return [
      `${path}: Python prints ${actual}, the fixture has ${expected} (relative error ${(error / Math.abs(expected)).toExponential(2)})`,
    ];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [
        `${path}: Python prints ${JSON.stringify(actual)?.slice(0, 200)}, the fixture has an array of ${expected.length}`,
      ];
    }
    return expected.flatMap((item, i) => differences(actual[i], item, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return [`${path}: Python prints ${JSON.stringify(actual)?.slice(0, 200)}, the fixture has an object`];
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
    return keys.flatMap((key) => {
      if (!(key in expected)) return [`${path}.${key}: Python prints it, the fixture lacks it`];
      if (!(key in actual)) return [`${path}.${key}: the fixture has it, Python does not print it`];
      return differences(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
    });
  }
  return Object.is(actual, expected)
    ? []
    : [`${path}: Python prints ${JSON.stringify(actual)}, the fixture has ${JSON.stringify(expected)}`];
}

const skipReason = whyNotRunnable();
const printed = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  if (skipReason) return;
  const names = Object.keys(SCRIPTS);
  const outputs = await Promise.all(names.map(runScript));
  names.forEach((name, i) => printed.set(name, outputs[i]));
});

for (const [script, fixtures] of Object.entries(SCRIPTS)) {
  describe(`tests/reference/${script}`, () => {
    it.skipIf(skipReason !== null)(
      `prints exactly the constants of its fixtures${skipReason ? ` (skipped: ${skipReason})` : ''}`,
      () => {
        expect(Object.keys(printed.get(script)!).sort()).toEqual(Object.keys(fixtures).sort());
      },
    );

    it.skipIf(skipReason !== null).each(Object.entries(fixtures))(
      `%s agrees with what it prints${skipReason ? ` (skipped: ${skipReason})` : ''}`,
      (name, fixture) => {
        expect(differences(printed.get(script)![name], fixture, name)).toEqual([]);
      },
    );
  });
}
