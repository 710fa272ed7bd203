/** People: staff and citizens' names and mobile numbers. */
import { itemAt, weighted, type Rng } from './random.ts';

/** Common surnames, most frequent first, weighted roughly by how common they are. */
const SURNAMES = weighted<string>(
  [
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
    '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
    '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  ].map((name, rank) => [name, 1 / (rank + 8)] as const),
);

const GIVEN_NAMES = [
  '伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞',
  '平', '刚', '桂英', '建华', '建国', '志强', '婷', '玉兰', '海燕', '晓东', '文博', '思雨', '子涵', '浩然', '欣怡', '红梅',
  '国庆', '春生', '晓明', '丽娟', '俊杰', '雪梅', '建军', '桂兰', '淑珍', '志刚', '晓燕', '宇航', '佳怡', '梓萱', '鹏', '琳',
] as const;

export function personName(rng: Rng): string {
  return SURNAMES.pick(rng) + rng.pick(GIVEN_NAMES);
}

/** A stable name for the n-th member of staff, without a random stream. */
export function staffName(n: number): string {
  const surname = itemAt(SURNAMES.items, (n * 7) % SURNAMES.items.length);
  const given = itemAt(GIVEN_NAMES, (n * 13 + 5) % GIVEN_NAMES.length);
  return surname + given;
}

/** Callers often give only a surname and a title; the hotline records it that way. */
export function citizenName(rng: Rng): string {
  if (rng.chance(0.55)) return `${SURNAMES.pick(rng)}${rng.chance(0.5) ? '先生' : '女士'}`;
  return personName(rng);
}

const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159',
  '166', '173', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199',
] as const;

/** An 11-digit mainland mobile number. */
export function mobileNumber(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}
