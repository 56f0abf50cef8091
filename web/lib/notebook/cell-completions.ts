/**
 * Autocomplete for code cells: the cell API (each with its signature and what it does), a chart spec
 * snippet, and the sample sources inside `load('…')`.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { CELL_API, SAMPLE_SOURCES } from './cell-api';

const API_OPTIONS: Completion[] = CELL_API.map((e) =>
  e.name === 'chart'
    ? {
        label: 'chart',
        type: 'text',
        detail: 'chart spec',
        info: `${e.signature}\n\n${e.info}`,
        apply: "display({ mark: 'dot', data: flywheel.toRows(table), x: '', y: '' })",
        boost: -1,
      }
    : {
        label: e.name,
        type: e.kind === 'function' ? 'function' : 'namespace',
        detail: e.signature,
        info: e.info,
        boost: 1,
      },
);

export function cellApiCompletions(context: CompletionContext): CompletionResult | null {
  const inLoad = context.matchBefore(/load\(\s*(['"`])[\w:.-]*$/);
  if (inLoad) {
    const quote = inLoad.text.search(/['"`]/);
    return {
      from: inLoad.from + quote + 1,
      options: SAMPLE_SOURCES.map((s) => ({ label: s, type: 'constant', detail: 'sample dataset' })),
      validFor: /^[\w:.-]*$/,
    };
  }
  const word = context.matchBefore(/[\w$]+/);
  // After a dot the member belongs to some object, not to the cell's scope.
  if (word && context.state.sliceDoc(word.from - 1, word.from) === '.') return null;
  if (!word && !context.explicit) return null;
  return { from: word?.from ?? context.pos, options: API_OPTIONS, validFor: /^[\w$]*$/ };
}
