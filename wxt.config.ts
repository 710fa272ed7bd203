import { defineConfig } from 'wxt';

// The extension lives in extension/; shared/ is imported by relative path.
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  modules: ['@wxt-dev/module-vue'],
  manifest: {
    name: '连心 Lianxin',
    description: '把 12345 工单从政务门户导入连心，并把现场办理结果回填到门户表单。',
    default_locale: undefined,
    permissions: ['storage'],
  },
});
