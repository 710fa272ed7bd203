import { createApp } from 'vue';
import App from './App.vue';
import './plugins/vant.ts';
import { i18n, loadMessages, localeLoaded, warmLocales } from './i18n/index.ts';
import { router, warmPages } from './router.ts';
import { installBeforeUnloadGuard } from './composables/useDirtyForms.ts';
import { startPhotoWorker } from './photo/process.ts';
import { loadToast } from './util/toast.ts';
import { loadEmpty } from './components/common/lazy-empty.ts';
import { afterFirstScreen, startDataLayer, warmDataLayer } from './data/index.ts';
import './styles.css';

installBeforeUnloadGuard();
void startDataLayer();

const app = createApp(App);
app.use(i18n);
app.use(router);
// Only a stored English choice waits for its messages; Chinese is in the entry.
void localeLoaded.then(() => app.mount('#app'));
// After the first screen: the rest of the messages (the lazy pages wait for them too).
void afterFirstScreen().then(loadMessages);
// Then every lazy page and module, and the photo worker,
// which must start while this version's files are surely in the cache (see router.ts, photo/process.ts).
void warmPages([startPhotoWorker, warmDataLayer, warmLocales, loadToast, loadEmpty]);
