import { createApp } from 'vue';
import App from './App.vue';
import './plugins/vant.ts';
import { i18n } from './i18n/index.ts';
import { router, warmPages } from './router.ts';
import { installBeforeUnloadGuard } from './composables/useDirtyForms.ts';
import { startPhotoWorker } from './photo/process.ts';
import { startDataLayer } from './data/index.ts';
import './styles.css';

// Started at once, while this version's files are surely in the cache (see photo/process.ts).
startPhotoWorker();
installBeforeUnloadGuard();
void startDataLayer();

const app = createApp(App);
app.use(i18n);
app.use(router);
app.mount('#app');
// Every lazy page, imported after the first paint (see router.ts).
void warmPages();
