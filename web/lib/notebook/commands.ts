/**
 * Jupyter's keyboard model: in edit mode the editor has the keys except Shift/Ctrl+Enter and Esc; in
 * command mode single keys act on the selected cell. `dd` is a chord: two `d`s within a second.
 */
export type Command =
  | 'run-advance'
  | 'run-in-place'
  | 'edit'
  | 'leave'
  | 'up'
  | 'down'
  | 'insert-above'
  | 'insert-below'
  | 'delete'
  | 'to-markdown'
  | 'to-code'
  | 'help';

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** Time allowed between the two presses of `dd`. */
export const CHORD_MS = 1000;

/** The shortcuts, for the help panel. */
export const SHORTCUTS: { keys: string; what: string; mode: 'both' | 'command' }[] = [
  { keys: 'Shift+Enter', what: 'Run the cell and select the next one', mode: 'both' },
  { keys: 'Ctrl/⌘+Enter', what: 'Run the cell and stay on it', mode: 'both' },
  { keys: 'Enter', what: 'Edit the selected cell', mode: 'command' },
  { keys: 'Esc', what: 'Leave the editor (command mode)', mode: 'both' },
  { keys: '↑ / k, ↓ / j', what: 'Select the cell above / below', mode: 'command' },
  { keys: 'a / b', what: 'Insert a cell above / below', mode: 'command' },
  { keys: 'd d', what: 'Delete the cell (Undo in the toast)', mode: 'command' },
  { keys: 'm / y', what: 'Make the cell markdown / code', mode: 'command' },
  { keys: '?', what: 'Show this help', mode: 'command' },
];

export class KeyMap {
  private lastD = -Infinity;

  /** The command a key press means, or null to let it through. `now` is in milliseconds. */
  command(e: KeyLike, mode: 'command' | 'edit', now: number): Command | null {
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === 'Enter' && e.shiftKey && !mod) return 'run-advance';
    if (e.key === 'Enter' && mod) return 'run-in-place';
    if (mode === 'edit') return e.key === 'Escape' ? 'leave' : null;
    if (mod || e.altKey) return null;
    if (e.key !== 'd') this.lastD = -Infinity;
    switch (e.key) {
      case 'Enter':
        return 'edit';
      case 'ArrowUp':
      case 'k':
        return 'up';
      case 'ArrowDown':
      case 'j':
        return 'down';
      case 'a':
        return 'insert-above';
      case 'b':
        return 'insert-below';
      case 'm':
        return 'to-markdown';
      case 'y':
        return 'to-code';
      case '?':
        return 'help';
      case 'Escape':
        return 'leave';
      case 'd':
        if (now - this.lastD <= CHORD_MS) {
          this.lastD = -Infinity;
          return 'delete';
        }
        this.lastD = now;
        return null;
      default:
        return null;
    }
  }
}
