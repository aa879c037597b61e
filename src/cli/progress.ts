/**
 * A progress bar on standard error, shown only when it is a terminal and the
 * work has taken more than a second (`GMM_PROGRESS_DELAY_MS` milliseconds, if
 * set); silent otherwise (pipes, tests, CI).
 *
 * @module
 */
import { SingleBar } from 'cli-progress';

/** Reports progress; `stop` must be called at the end. */
export interface Progress {
  /** Sets the amount done (of `total`). */
  update(done: number, total?: number, label?: string): void;
  /** Removes the bar, if shown. */
  stop(): void;
}

/**
 * Starts tracking progress.
 *
 * @param title - What is being done ("fitting", "selecting").
 * @param total - Units of work.
 * @returns The tracker.
 */
export function startProgress(title: string, total: number): Progress {
  const started = Date.now();
  let bar: SingleBar | undefined;
  let state = { done: 0, total, label: '' };
  const interactive = process.stderr.isTTY === true && !process.env['CI'];
  const delay = progressDelay();
  return {
    update(done, newTotal, label) {
      state = { done, total: newTotal ?? state.total, label: label ?? state.label };
      if (!interactive) return;
      if (!bar && Date.now() - started >= delay) {
        bar = new SingleBar({
          format: `gmm ${title} [{bar}] {value}/{total} {label}`,
          stream: process.stderr,
          clearOnComplete: true,
          hideCursor: false, // a signal ends the program at once (no handler restores a hidden cursor)
          barCompleteChar: '█',
          barIncompleteChar: '░',
        });
        bar.start(state.total, state.done, { label: state.label });
      }
      bar?.setTotal(state.total);
      bar?.update(state.done, { label: state.label });
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Milliseconds before a bar appears: `GMM_PROGRESS_DELAY_MS` if it is a number ≥ 0, else 1,000. */
function progressDelay(): number {
  const value = Number(process.env['GMM_PROGRESS_DELAY_MS'] ?? '');
  return process.env['GMM_PROGRESS_DELAY_MS'] !== undefined && Number.isFinite(value) && value >= 0 ? value : 1000;
}
