/** The Element UI demo portal's reply form, scripted: radio buttons, dropdown selects, a lone checkbox, date pickers, wangEditor and uploads. */
import { clicked, dropdown, edited, formItem, ticked, typed, uploaded, type Robot } from './kit.ts';

export const elementUiRobot: Robot = (page) => {
  const item = formItem(page, '.handle-page');
  const select = (label: string) =>
    dropdown(item(label).locator('.el-select'), page.locator('.el-select-dropdown__item:visible'), async () => [await item(label).locator('input.el-input__inner').inputValue()]);
  const upload = (key: string) => uploaded(page.locator(`.fj-${key} input[type=file]`), page.locator(`.fj-${key} .el-upload-list__item.is-success`));
  return {
    sfss: clicked(item('是否属实').locator('.el-radio-button'), item('是否属实').locator('label:has(input:checked)')),
    cljg: select('处理结果'),
    wjjyy: typed(item('未解决原因').locator('textarea')),
    lxqz: ticked(item('联系群众').locator('.el-checkbox'), item('联系群众').locator('input[type=checkbox]')),
    hffs: select('回复方式'),
    lxdh: typed(item('联系电话').locator('input')),
    hfsj: typed(item('回复时间').locator('input'), { enter: true }),
    bjrq: typed(item('办结日期').locator('input'), { enter: true }),
    blgc: typed(item('办理过程').locator('textarea')),
    dfnr: edited(item('答复内容').locator('.w-e-text')),
    xczp: upload('xczp'),
    lxpz: upload('lxpz'),
    sfzm: upload('sfzm'),
  };
};
