/* global Vue, ElementPlus, ElementPlusLocaleZhCn, window, document */
// A small Element Plus (Vue 3) 12345 portal: order list, order detail, and the
// 办理回复 (reply) form with uploads that go to the portal's server at once.
const { createApp, ref, reactive, computed, onMounted, watch } = Vue;
const API = './api';

const route = ref(window.location.hash.slice(1) || '/orders');
window.addEventListener('hashchange', () => (route.value = window.location.hash.slice(1) || '/orders'));

async function getJson(url) {
  const res = await fetch(url);
  const body = await res.json();
  if (body.code !== 0) throw new Error(body.msg || '请求失败');
  return body.data;
}

const OrderList = {
  template: `
    <div>
      <h2 class="page-title">待办工单</h2>
      <el-table :data="orders" border stripe>
        <el-table-column prop="orderNo" label="工单编号" width="200" />
        <el-table-column prop="title" label="标题" />
        <el-table-column prop="type" label="诉求类型" width="100" />
        <el-table-column prop="receivedAt" label="来电时间" width="180" />
        <el-table-column prop="deadline" label="办理时限" width="180" />
        <el-table-column label="操作" width="160">
          <template #default="{ row }">
            <el-button link type="primary" @click="go('/orders/' + row.orderNo)">查看</el-button>
            <el-button link type="primary" @click="go('/orders/' + row.orderNo + '/handle')">办理</el-button>
          </template>
        </el-table-column>
      </el-table>
    </div>`,
  setup() {
    const orders = ref([]);
    onMounted(async () => (orders.value = await getJson(`${API}/orders`)));
    return { orders, go: (p) => (window.location.hash = p) };
  },
};

const OrderDetail = {
  props: ['orderNo'],
  template: `
    <div v-if="order" class="order-detail">
      <h2 class="page-title">工单详情</h2>
      <el-descriptions :column="2" border>
        <el-descriptions-item label="工单编号">{{ order.orderNo }}</el-descriptions-item>
        <el-descriptions-item label="来源渠道">{{ order.channel }}</el-descriptions-item>
        <el-descriptions-item label="来电人">{{ order.citizenName }}</el-descriptions-item>
        <el-descriptions-item label="联系电话">{{ order.citizenPhone }}</el-descriptions-item>
        <el-descriptions-item label="来电时间">{{ order.receivedAt }}</el-descriptions-item>
        <el-descriptions-item label="办理时限">{{ order.deadline }}</el-descriptions-item>
        <el-descriptions-item label="诉求类型">{{ order.type }}</el-descriptions-item>
        <el-descriptions-item label="诉求分类">{{ order.category }}</el-descriptions-item>
        <el-descriptions-item label="标题" :span="2">{{ order.title }}</el-descriptions-item>
        <el-descriptions-item label="诉求内容" :span="2">{{ order.content }}</el-descriptions-item>
        <el-descriptions-item label="事发地址" :span="2">{{ order.address }}</el-descriptions-item>
        <el-descriptions-item label="承办单位" :span="2">{{ order.handlingUnit }}</el-descriptions-item>
      </el-descriptions>
      <div class="reply-actions">
        <el-button type="primary" @click="go('/orders/' + order.orderNo + '/handle')">办理回复</el-button>
        <el-button @click="go('/orders')">返回列表</el-button>
      </div>
    </div>`,
  setup(props) {
    const order = ref(null);
    const load = async () => (order.value = await getJson(`${API}/orders/${props.orderNo}`));
    onMounted(load);
    watch(() => props.orderNo, load);
    return { order, go: (p) => (window.location.hash = p) };
  },
};

const KINDS = [
  { key: 'zjfj', label: '证件附件' },
  { key: 'lxzj', label: '联系证据' },
  { key: 'blfj', label: '办理附件' },
];

const ReplyForm = {
  props: ['orderNo'],
  template: `
    <div class="reply-page">
      <h2 class="page-title">办理回复</h2>
      <el-alert v-if="submitted" class="submitted" type="success" title="已提交，等待回访" :closable="false" />
      <el-form v-if="contactTimeFormat" ref="formRef" :model="form" :rules="rules" label-width="120px" class="reply-form">
        <el-form-item label="工单编号"><span class="order-no">{{ orderNo }}</span></el-form-item>
        <el-form-item label="诉求属实" prop="sfss">
          <el-radio-group v-model="form.sfss"><el-radio value="1">是</el-radio><el-radio value="0">否</el-radio></el-radio-group>
        </el-form-item>
        <el-form-item label="超职责诉求" prop="sfccz">
          <el-radio-group v-model="form.sfccz"><el-radio value="1">是</el-radio><el-radio value="0">否</el-radio></el-radio-group>
        </el-form-item>
        <el-form-item label="申请类型" prop="sqlx">
          <el-select v-model="form.sqlx" placeholder="请选择申请类型" style="width: 240px">
            <el-option v-for="o in applyTypes" :key="o.value" :label="o.label" :value="o.value" />
          </el-select>
        </el-form-item>
        <el-form-item label="联系群众" prop="lxqz">
          <el-radio-group v-model="form.lxqz"><el-radio value="1">已联系</el-radio><el-radio value="0">未联系</el-radio></el-radio-group>
        </el-form-item>
        <el-form-item label="联系方式" prop="lxfs">
          <el-select v-model="form.lxfs" placeholder="请选择联系方式" style="width: 240px">
            <el-option v-for="o in contactMethods" :key="o.value" :label="o.label" :value="o.value" />
          </el-select>
        </el-form-item>
        <el-form-item label="联系号码" prop="lxhm">
          <el-input v-model="form.lxhm" placeholder="请输入联系号码" style="width: 240px" />
        </el-form-item>
        <el-form-item label="联系时间" prop="lxsj">
          <el-date-picker v-model="form.lxsj" type="datetime" placeholder="选择联系时间" :format="contactTimeFormat" value-format="YYYY-MM-DD HH:mm" />
        </el-form-item>
        <el-form-item label="是否解决" prop="sfjj">
          <el-radio-group v-model="form.sfjj"><el-radio value="1">已解决</el-radio><el-radio value="2">部分解决</el-radio><el-radio value="0">未解决</el-radio></el-radio-group>
        </el-form-item>
        <el-form-item label="未解决原因" prop="wjjyy">
          <el-input v-model="form.wjjyy" type="textarea" :rows="2" placeholder="未解决或部分解决时必填" />
        </el-form-item>
        <el-form-item label="办理情况" prop="blqk">
          <el-input v-model="form.blqk" type="textarea" :rows="4" placeholder="请输入办理情况" />
        </el-form-item>
        <el-form-item label="公开答复内容" prop="gkdf">
          <el-input v-model="form.gkdf" type="textarea" :rows="3" placeholder="将向社会公开，请注意保护个人信息" />
        </el-form-item>
        <el-form-item label="办结日期" prop="bjrq">
          <el-date-picker v-model="form.bjrq" type="date" placeholder="选择日期" format="YYYY-MM-DD" value-format="YYYY-MM-DD" />
        </el-form-item>
        <el-form-item v-for="k in kinds" :key="k.key" :label="k.label" :class="'upload-' + k.key">
          <el-upload :action="'./api/upload?kind=' + k.key" name="file" multiple accept="image/*"
            :on-success="(res, file) => uploaded(k.key, res, file)" :on-remove="(file) => removed(k.key, file)">
            <el-button>上传文件</el-button>
          </el-upload>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" class="submit-reply" :loading="saving" @click="submit">提交</el-button>
          <el-button @click="go('/orders/' + orderNo)">返回</el-button>
        </el-form-item>
      </el-form>
    </div>`,
  setup(props) {
    const formRef = ref();
    const form = reactive({ sfss: '', sfccz: '', sqlx: '', lxqz: '', lxfs: '', lxhm: '', lxsj: '', sfjj: '', wjjyy: '', blqk: '', gkdf: '', bjrq: '' });
    const files = reactive({ zjfj: [], lxzj: [], blfj: [] });
    const required = (message) => [{ required: true, message, trigger: 'change' }];
    const rules = { sfss: required('请选择诉求是否属实'), sfjj: required('请选择是否解决'), lxsj: required('请选择联系时间'), blqk: required('请输入办理情况'), gkdf: required('请输入公开答复内容') };
    const saving = ref(false);
    const submitted = ref(false);
    // The portal's settings say how the 联系时间 picker shows a time (dayjs tokens: YYYY, M/MM, D/DD, H/HH, m/mm).
    const contactTimeFormat = ref('');
    onMounted(async () => {
      const settings = await getJson(`${API}/settings`);
      contactTimeFormat.value = settings.contactTimeFormat.replace(/yyyy/g, 'YYYY').replace(/d/g, 'D');
    });
    const uploaded = (kind, res, file) => files[kind].push({ uid: file.uid, id: res.data.id });
    const removed = (kind, file) => (files[kind] = files[kind].filter((f) => f.uid !== file.uid));
    const submit = async () => {
      await formRef.value.validate();
      saving.value = true;
      try {
        const res = await fetch(`${API}/orders/${props.orderNo}/reply`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fields: { ...form }, attachments: Object.fromEntries(Object.entries(files).map(([k, list]) => [k, list.map((f) => f.id)])) }),
        });
        const body = await res.json();
        if (body.code !== 0) throw new Error(body.msg);
        submitted.value = true;
        ElementPlus.ElMessage.success('提交成功');
      } finally {
        saving.value = false;
      }
    };
    return {
      formRef, form, rules, saving, submitted, contactTimeFormat, kinds: KINDS, uploaded, removed, submit,
      applyTypes: [{ value: 'BJ', label: '办结申请' }, { value: 'TD', label: '退单申请' }, { value: 'YQ', label: '延期申请' }],
      contactMethods: [{ value: 'tel', label: '电话' }, { value: 'visit', label: '上门走访' }, { value: 'sms', label: '短信' }, { value: 'other', label: '其他' }],
      go: (p) => (window.location.hash = p),
    };
  },
};

const App = {
  components: { OrderList, OrderDetail, ReplyForm },
  template: `
    <header class="portal-header"><h1>12345政务服务便民热线 · 工单办理系统</h1><span>西工区凯旋路街道办事处</span></header>
    <main class="portal-main">
      <reply-form v-if="view.name === 'handle'" :key="'h' + view.no" :order-no="view.no" />
      <order-detail v-else-if="view.name === 'detail'" :order-no="view.no" />
      <order-list v-else />
    </main>`,
  setup() {
    const view = computed(() => {
      const handle = /^\/orders\/([0-9A-Za-z-]+)\/handle$/.exec(route.value);
      if (handle) return { name: 'handle', no: handle[1] };
      const detail = /^\/orders\/([0-9A-Za-z-]+)$/.exec(route.value);
      if (detail) return { name: 'detail', no: detail[1] };
      return { name: 'list' };
    });
    return { view };
  },
};

createApp(App).use(ElementPlus, { locale: ElementPlusLocaleZhCn }).mount(document.getElementById('app'));
