/* global Vue, ELEMENT, wangEditor, window */
// A no-build demo page: Vue 2 components in one static file, as such portals ship them.
/* eslint-disable vue/one-component-per-file */
// An Element UI (Vue 2) 12345 portal of the older generation: order list,
// order detail as a table with labels in cells, and the 办理结果 form with a
// wangEditor rich-text reply and uploads that go to the server at once.
Vue.use(ELEMENT);
const API = './api';

function getJson(url) {
  return fetch(url)
    .then((res) => res.json())
    .then((body) => {
      if (body.code !== 0) throw new Error(body.msg || '请求失败');
      return body.data;
    });
}

Vue.component('OrderList', {
  data: () => ({ orders: [] }),
  created() {
    getJson(`${API}/orders`).then((list) => (this.orders = list));
  },
  methods: { go: (p) => (window.location.hash = p) },
  template: `
    <div>
      <div class="box-title">待处置工单</div>
      <el-table :data="orders" border size="small">
        <el-table-column prop="orderNo" label="工单编号" width="190"></el-table-column>
        <el-table-column prop="title" label="诉求标题"></el-table-column>
        <el-table-column prop="category" label="诉求分类" width="110"></el-table-column>
        <el-table-column prop="deadline" label="办理时限" width="150"></el-table-column>
        <el-table-column label="操作" width="150">
          <template slot-scope="scope">
            <el-button type="text" @click="go('/order/' + scope.row.orderNo)">详情</el-button>
            <el-button type="text" @click="go('/order/' + scope.row.orderNo + '/reply')">处置</el-button>
          </template>
        </el-table-column>
      </el-table>
    </div>`,
});

Vue.component('OrderDetail', {
  props: { orderNo: { type: String, required: true } },
  data: () => ({ o: null }),
  created() {
    getJson(`${API}/orders/${this.orderNo}`).then((o) => (this.o = o));
  },
  methods: { go: (p) => (window.location.hash = p) },
  template: `
    <div v-if="o" class="order-info">
      <div class="box-title">工单信息</div>
      <table class="detail-table">
        <tr><td class="tit">工单编号</td><td>{{ o.orderNo }}</td><td class="tit">受理渠道</td><td>{{ o.channel }}</td></tr>
        <tr><td class="tit">来电人</td><td>{{ o.citizenName }}</td><td class="tit">联系电话</td><td>{{ o.citizenPhone }}</td></tr>
        <tr><td class="tit">受理时间</td><td>{{ o.receivedAt }}</td><td class="tit">办理时限</td><td>{{ o.deadline }}</td></tr>
        <tr><td class="tit">诉求类型</td><td>{{ o.type }}</td><td class="tit">诉求分类</td><td>{{ o.category }}</td></tr>
        <tr><td class="tit">诉求标题</td><td colspan="3">{{ o.title }}</td></tr>
        <tr><td class="tit">诉求内容</td><td colspan="3">{{ o.content }}</td></tr>
        <tr><td class="tit">事发地址</td><td colspan="3">{{ o.address }}</td></tr>
      </table>
      <p><el-button type="primary" size="small" @click="go('/order/' + o.orderNo + '/reply')">处置</el-button></p>
    </div>`,
});

const UPLOADS = [
  { key: 'xczp', label: '现场照片' },
  { key: 'lxpz', label: '联系凭证' },
  { key: 'sfzm', label: '身份证明' },
];

Vue.component('ReplyForm', {
  props: { orderNo: { type: String, required: true } },
  data() {
    const need = (message) => [{ required: true, message, trigger: 'change' }];
    return {
      form: { sfss: '', cljg: '', wjjyy: '', lxqz: false, hffs: '', lxdh: '', hfsj: '', bjrq: '', blgc: '', dfnr: '' },
      files: { xczp: [], lxpz: [], sfzm: [] },
      rules: { sfss: need('请选择是否属实'), cljg: need('请选择处理结果'), blgc: need('请填写办理过程'), dfnr: need('请填写答复内容') },
      uploads: UPLOADS,
      saving: false,
      done: false,
    };
  },
  mounted() {
    const editor = new wangEditor(this.$refs.editor);
    editor.config.height = 160;
    editor.config.placeholder = '请输入答复内容';
    editor.config.onchange = (html) => (this.form.dfnr = html);
    editor.create();
    this.editor = editor;
  },
  // Vue 2's name for the hook (this page runs Vue 2).
  // eslint-disable-next-line vue/no-deprecated-destroyed-lifecycle
  beforeDestroy() {
    this.editor.destroy();
  },
  methods: {
    uploaded(kind, res, file) {
      this.files[kind].push({ uid: file.uid, id: res.data.id });
    },
    removed(kind, file) {
      this.files[kind] = this.files[kind].filter((f) => f.uid !== file.uid);
    },
    submit() {
      this.$refs.form.validate((valid) => {
        if (!valid) return;
        this.saving = true;
        const attachments = {};
        Object.keys(this.files).forEach((k) => (attachments[k] = this.files[k].map((f) => f.id)));
        fetch(`${API}/orders/${this.orderNo}/reply`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fields: this.form, attachments }),
        })
          .then((res) => res.json())
          .then((body) => {
            if (body.code !== 0) throw new Error(body.msg);
            this.done = true;
            this.$message.success('提交成功');
          })
          .finally(() => (this.saving = false));
      });
    },
  },
  template: `
    <div class="handle-page">
      <div class="box-title">填写办理结果</div>
      <div v-if="done" class="done-tip">办理结果已提交</div>
      <el-form ref="form" :model="form" :rules="rules" label-width="130px" size="small">
        <el-form-item label="工单编号">{{ orderNo }}</el-form-item>
        <el-form-item label="是否属实" prop="sfss">
          <el-radio-group v-model="form.sfss">
            <el-radio-button label="Y">属实</el-radio-button>
            <el-radio-button label="N">不属实</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-form-item label="处理结果" prop="cljg">
          <el-select v-model="form.cljg" placeholder="请选择处理结果">
            <el-option label="已解决" value="01"></el-option>
            <el-option label="基本解决" value="02"></el-option>
            <el-option label="未解决" value="03"></el-option>
          </el-select>
        </el-form-item>
        <el-form-item label="未解决原因">
          <el-input v-model="form.wjjyy" type="textarea" :rows="2"></el-input>
        </el-form-item>
        <el-form-item label="联系群众">
          <el-checkbox v-model="form.lxqz">已联系群众</el-checkbox>
        </el-form-item>
        <el-form-item label="回复方式" prop="hffs">
          <el-select v-model="form.hffs" placeholder="请选择">
            <el-option label="电话回复" value="1"></el-option>
            <el-option label="短信回复" value="2"></el-option>
            <el-option label="上门回复" value="3"></el-option>
          </el-select>
        </el-form-item>
        <el-form-item label="联系电话">
          <el-input v-model="form.lxdh" placeholder="回复群众所用号码"></el-input>
        </el-form-item>
        <el-form-item label="回复时间">
          <el-date-picker v-model="form.hfsj" type="datetime" format="yyyy-MM-dd HH:mm" value-format="yyyy-MM-dd HH:mm" placeholder="选择回复时间"></el-date-picker>
        </el-form-item>
        <el-form-item label="办结日期">
          <el-date-picker v-model="form.bjrq" type="date" format="yyyy年MM月dd日" value-format="yyyy-MM-dd" placeholder="选择办结日期"></el-date-picker>
        </el-form-item>
        <el-form-item label="办理过程" prop="blgc">
          <el-input v-model="form.blgc" type="textarea" :rows="4" placeholder="请详细描述办理过程"></el-input>
        </el-form-item>
        <el-form-item label="答复内容" prop="dfnr">
          <div ref="editor" class="editor-box"></div>
        </el-form-item>
        <el-form-item v-for="u in uploads" :key="u.key" :label="u.label">
          <el-upload :class="'fj-' + u.key" :action="'./api/upload?kind=' + u.key" name="file" multiple
            :on-success="(res, file) => uploaded(u.key, res, file)" :on-remove="(file) => removed(u.key, file)">
            <el-button size="small">点击上传</el-button>
          </el-upload>
        </el-form-item>
        <el-form-item>
          <el-button type="danger" class="btn-submit" :loading="saving" @click="submit">提交办理结果</el-button>
        </el-form-item>
      </el-form>
    </div>`,
});

function parseRoute() {
  const hash = window.location.hash.slice(1);
  const reply = /^\/order\/([0-9A-Za-z-]+)\/reply$/.exec(hash);
  if (reply) return { name: 'reply', no: reply[1] };
  const detail = /^\/order\/([0-9A-Za-z-]+)$/.exec(hash);
  if (detail) return { name: 'detail', no: detail[1] };
  return { name: 'list' };
}

const vm = new Vue({
  el: '#app',
  data: () => ({ route: parseRoute() }),
  template: `
    <div>
      <div class="topbar">12345热线工单处置平台 · 凯旋路街道</div>
      <div class="content">
        <reply-form v-if="route.name === 'reply'" :key="'r' + route.no" :order-no="route.no"></reply-form>
        <order-detail v-else-if="route.name === 'detail'" :key="'d' + route.no" :order-no="route.no"></order-detail>
        <order-list v-else></order-list>
      </div>
    </div>`,
});
window.addEventListener('hashchange', () => (vm.route = parseRoute()));
