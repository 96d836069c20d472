import type { SourceHealth } from '@kestrel/shared/protocol';

/**
 * One physical key going down or up. Key codes are the hook's layout-independent codes (the
 * uiohook set, which follows PC set-1 scan codes); the core turns them into characters.
 */
export interface KeyInput {
  kind: 'key';
  keycode: number;
  down: boolean;
  /** Auto-repeat: a second `down` while the key is still held. */
  repeat: boolean;
  shift: boolean;
  capsLock: boolean;
  ctrl: boolean;
  alt: boolean;
  meta: boolean;
}

/** A mouse click: the caret may have moved anywhere, so the phrase so far is unknown. */
export interface PointerInput {
  kind: 'pointer';
}

export type InputEvent = KeyInput | PointerInput;

/** A global keyboard (and mouse-click) hook. */
export interface KeystrokeSource {
  /**
   * Starts delivering events. Never throws for a missing display or permission: the answer says
   * how the source is, and an unavailable source simply delivers nothing.
   */
  start(listener: (event: InputEvent) => void): Promise<SourceHealth>;
  stop(): Promise<void>;
  health(): SourceHealth;
}
