/**
 * Vant's base styles and the styles of its function APIs (showToast,
 * showNotify, showDialog, showImagePreview), which no template names.
 * Components are imported where a template uses them, with their styles, by
 * the Vant resolver at build time (pwa/vite.config.ts), so a lazy page's
 * components travel in its chunk.
 */
import 'vant/es/style/base.css';
import 'vant/es/toast/style/index';
import 'vant/es/notify/style/index';
import 'vant/es/dialog/style/index';
import 'vant/es/image-preview/style/index';
