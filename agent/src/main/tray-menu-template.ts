import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayMenuItem, TrayModel } from './tray-menu-model.js';

/** The System Settings panes where an administrator grants the agent's macOS permissions. */
export const SETTINGS_URL: Record<TrayAction, string> = {
  'open-accessibility-settings':
    'x-apple.systempreferences:com.apple.preference.security?Privacy_Accessibility',
  'open-screen-recording-settings':
    'x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture',
};

/** Turns the menu model into Electron's menu template; labels are information, so disabled. */
export function toMenuTemplate(
  items: readonly TrayMenuItem[],
  onAction: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.label, enabled: false };
      case 'action':
        return { label: item.label, click: () => onAction(item.action) };
      case 'submenu':
        return { label: item.label, submenu: toMenuTemplate(item.items, onAction) };
    }
  });
}

/**
 * The tray image for a state. macOS uses the template image (the system tints it for the menu
 * bar, so attention is told by the menu, not by colour); elsewhere the coloured variants.
 */
export function trayIconFile(isMacos: boolean, icon: TrayModel['icon']): string {
  return isMacos ? 'trayTemplate.png' : `tray-${icon}.png`;
}
