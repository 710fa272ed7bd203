/**
 * Vant components the PWA uses, registered once with their styles so the
 * bundle carries only these. Function APIs (showDialog, showNotify, showToast,
 * showImagePreview) need their styles imported here as well.
 */
import type { App } from 'vue';
import {
  ActionSheet,
  Badge,
  Button,
  Cell,
  CellGroup,
  Checkbox,
  CheckboxGroup,
  ConfigProvider,
  DatePicker,
  Dialog,
  Divider,
  Empty,
  Field,
  Form,
  Icon,
  Image as VanImage,
  Loading,
  NavBar,
  NoticeBar,
  Notify,
  Popup,
  Progress,
  PullRefresh,
  Radio,
  RadioGroup,
  Search,
  Switch,
  Tab,
  Tabbar,
  TabbarItem,
  Tabs,
  Tag,
  Toast,
} from 'vant';
import 'vant/es/style/base.css';
import 'vant/es/action-sheet/style/index';
import 'vant/es/badge/style/index';
import 'vant/es/button/style/index';
import 'vant/es/cell/style/index';
import 'vant/es/cell-group/style/index';
import 'vant/es/checkbox/style/index';
import 'vant/es/checkbox-group/style/index';
import 'vant/es/config-provider/style/index';
import 'vant/es/date-picker/style/index';
import 'vant/es/dialog/style/index';
import 'vant/es/divider/style/index';
import 'vant/es/empty/style/index';
import 'vant/es/field/style/index';
import 'vant/es/form/style/index';
import 'vant/es/icon/style/index';
import 'vant/es/image/style/index';
import 'vant/es/image-preview/style/index';
import 'vant/es/loading/style/index';
import 'vant/es/nav-bar/style/index';
import 'vant/es/notice-bar/style/index';
import 'vant/es/notify/style/index';
import 'vant/es/popup/style/index';
import 'vant/es/progress/style/index';
import 'vant/es/pull-refresh/style/index';
import 'vant/es/radio/style/index';
import 'vant/es/radio-group/style/index';
import 'vant/es/search/style/index';
import 'vant/es/switch/style/index';
import 'vant/es/tab/style/index';
import 'vant/es/tabbar/style/index';
import 'vant/es/tabbar-item/style/index';
import 'vant/es/tabs/style/index';
import 'vant/es/tag/style/index';
import 'vant/es/toast/style/index';

const COMPONENTS = [
  ActionSheet,
  Badge,
  Button,
  Cell,
  CellGroup,
  Checkbox,
  CheckboxGroup,
  ConfigProvider,
  DatePicker,
  Dialog,
  Divider,
  Empty,
  Field,
  Form,
  Icon,
  VanImage,
  Loading,
  NavBar,
  NoticeBar,
  Notify,
  Popup,
  Progress,
  PullRefresh,
  Radio,
  RadioGroup,
  Search,
  Switch,
  Tab,
  Tabbar,
  TabbarItem,
  Tabs,
  Tag,
  Toast,
];

export function installVant(app: App): void {
  for (const component of COMPONENTS) app.use(component);
}
