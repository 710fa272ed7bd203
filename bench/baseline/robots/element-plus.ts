/** The Element Plus demo portal's reply form, scripted: Element Plus radios, dropdown selects, date pickers (typed, then Enter) and uploads. */
import { clicked, dropdown, formItem, typed, uploaded, type Robot } from './kit.ts';

export const elementPlusRobot: Robot = (page) => {
  const item = formItem(page, '.reply-form');
  const radio = (label: string) => clicked(item(label).locator('.el-radio'), item(label).locator('.el-radio.is-checked'));
  const select = (label: string) =>
    dropdown(item(label).locator('.el-select__wrapper'), page.locator('.el-select-dropdown__item:visible'), async () => [
      await item(label).locator('.el-select__selected-item:not(.is-transparent):not(.is-hidden)').first().innerText(),
    ]);
  const upload = (key: string) => uploaded(page.locator(`.upload-${key} input[type=file]`), page.locator(`.upload-${key} .el-upload-list__item.is-success`));
  return {
    sfss: radio('诉求属实'),
    sfccz: radio('超职责诉求'),
    sqlx: select('申请类型'),
    lxqz: radio('联系群众'),
    lxfs: select('联系方式'),
    lxhm: typed(item('联系号码').locator('input')),
    lxsj: typed(item('联系时间').locator('input'), { enter: true }),
    sfjj: radio('是否解决'),
    wjjyy: typed(item('未解决原因').locator('textarea')),
    blqk: typed(item('办理情况').locator('textarea')),
    gkdf: typed(item('公开答复内容').locator('textarea')),
    bjrq: typed(item('办结日期').locator('input'), { enter: true }),
    zjfj: upload('zjfj'),
    lxzj: upload('lxzj'),
    blfj: upload('blfj'),
  };
};
