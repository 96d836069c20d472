import type { SourceHealth } from '@kestrel/shared/protocol';
import type { ActiveWindow, WindowSource } from '../window-source.js';

export const HOMEWORK: ActiveWindow = {
  id: 'w1',
  title: 'Homework notes',
  application: 'Notes',
  process: 'notes',
};

export class FakeWindowSource implements WindowSource {
  window: ActiveWindow | undefined = HOMEWORK;
  polls = 0;

  async current(): Promise<ActiveWindow | undefined> {
    this.polls++;
    return this.window;
  }

  health(): SourceHealth {
    return { state: 'ok' };
  }
}
