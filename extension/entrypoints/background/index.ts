import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from './start.ts';

export default defineBackground(() => {
  startBackground();
});
