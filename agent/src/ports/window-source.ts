import type { SourceHealth } from '@kestrel/shared/protocol';

/** The window that has the keyboard focus. */
export interface ActiveWindow {
  /** Stable identity of the window while it lives (keys its phrase buffer). */
  id: string;
  title: string;
  /** Application name as the OS shows it (`XTerm`, `Google Chrome`). */
  application: string;
  /** Executable or process name. */
  process: string;
  /** Where the OS gives it (browsers on macOS and Windows). */
  url?: string;
}

export interface WindowSource {
  /** The active window now, or undefined when none can be read (no display, lock screen). */
  current(): Promise<ActiveWindow | undefined>;
  health(): SourceHealth;
  /** Releases what watching needs (helper processes); optional for sources that hold nothing. */
  stop?(): Promise<void>;
}
