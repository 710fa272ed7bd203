/// <reference types="vite/client" />
/**
 * Bench case 7's baseline: the smallest hand-written inbox on the same UI kit
 * as the PWA — a page with a NavBar, Tabs and a list of Cell cards, nothing
 * else (no router, i18n, storage or sync). bench/cases/weight.ts builds it
 * with the repository's Vite and Vue into a temporary folder; its first-paint
 * JavaScript and CSS are the floor for the PWA's.
 */
import { createApp, defineComponent, h, ref } from 'vue';
import { Cell, CellGroup, NavBar, Tab, Tabs } from 'vant';
import 'vant/es/style/base.css';
import 'vant/es/nav-bar/style/index';
import 'vant/es/tabs/style/index';
import 'vant/es/tab/style/index';
import 'vant/es/cell/style/index';
import 'vant/es/cell-group/style/index';

const TABS = ['待签收', '处理中', '已办结', '全部'] as const;
const ORDERS = Array.from({ length: 20 }, (_, i) => ({
  id: `2026120100${String(i + 1).padStart(2, '0')}`,
  title: `幸福路 ${i + 1} 号楼道堆放杂物`,
  left: `剩余 ${(i % 5) + 1} 天`,
}));

const Inbox = defineComponent(() => {
  const active = ref(0);
  return () => [
    h(NavBar, { title: '工单', fixed: true, placeholder: true }),
    h(
      Tabs,
      { active: active.value, 'onUpdate:active': (value: number) => (active.value = value), sticky: true },
      () =>
        TABS.map((title) =>
          h(Tab, { title }, () =>
            ORDERS.map((order) => h(CellGroup, { inset: true, key: order.id }, () => h(Cell, { title: order.title, label: order.id, value: order.left, isLink: true }))),
          ),
        ),
    ),
  ];
});

createApp(Inbox).mount('#app');
