/** The Element Plus (Vue 3) demo portal: el-radio-group, el-select, el-date-picker, el-upload. */
import { describePortal } from './scenario.ts';

describePortal({
  portal: 'element-plus',
  adapterId: 'demo-element-plus',
  orderPath: (no) => `#/orders/${no}`,
  replyPath: (no) => `#/orders/${no}/handle`,
  orderReady: '.order-detail',
  replyReady: '.reply-form',
  submit: async (page) => {
    await page.click('.submit-reply');
    await page.waitForSelector('.submitted');
  },
  kinds: { handling: 'blfj', contact: 'lxzj', document: 'zjfj' },
  required: ['sfss', 'sfjj', 'lxsj', 'blqk', 'gkdf'],
  expectedFields: (input) => ({
    sfss: '1',
    sfccz: '0',
    sqlx: 'BJ',
    lxqz: '1',
    lxfs: 'tel',
    lxhm: '13812345678',
    lxsj: '2026-11-30 09:15',
    sfjj: '2',
    wjjyy: input.result.unresolvedReason ?? '',
    blqk: input.result.actions,
    gkdf: input.result.publicReply,
    bjrq: '2026-12-01',
  }),
  renameLabel: {
    key: 'sfss',
    label: '诉求属实',
    rename: (page) =>
      page.evaluate(() => {
        const label = [...document.querySelectorAll('.el-form-item__label')].find((l) => l.textContent?.trim() === '诉求属实');
        label!.textContent = '是否属实';
      }),
    untouched: (page) => page.evaluate(() => document.querySelectorAll('.el-radio-group')[0]!.querySelectorAll('input:checked').length === 0),
  },
});
