/**
 * What an order is about, three ways, each blind where another sees:
 *   - the character bigrams of its title and content (the tokenisation the
 *     inbox search uses): word for word, "路灯不亮" is "路灯" and "灯不" and "不亮";
 *   - its characters: "污水管道堵塞" and "下水道堵了" share 水, 道 and 堵
 *     and no bigram but "水道";
 *   - the kinds of problem it names (problems.ts): "冒脏水" and "返水" are
 *     both the sewer.
 * What every order says is taken out first: the hotline's boilerplate, the
 * citizen's pleading, qualifiers like 附近, and the order's own address,
 * which is compared on its own. Without the address, two problems at one
 * place no longer look alike because of the place.
 */
import { searchRuns, termsOf } from '../order/text-terms.ts';
import { QUALIFIERS, normalizeAddress } from './address.ts';
import { kindSimilarity, problemKinds } from './problems.ts';

/**
 * Words that say nothing about the problem: how the hotline opens a record,
 * how citizens ask for help and how long they have waited. Longest first, so
 * a phrase goes before the words inside it.
 */
const FILLER = [
  '感谢您对12345热线工作的理解和支持', '希望相关部门尽快', '希望有关部门尽快', '请相关部门尽快', '请有关部门尽快',
  '市民来电反映', '市民来电称', '来电人反映', '来电人称', '市民反映', '来电反映', '群众反映', '居民反映',
  '请尽快处理', '请尽快解决', '尽快派人处理', '尽快处理', '尽快解决', '尽快修好', '请尽快', '赶紧处理', '抓紧处理',
  '希望相关部门', '希望有关部门', '请相关部门', '请有关部门', '相关部门', '有关部门', '管一管', '管管',
  '已经好几天了', '好几天了', '好几天', '已经很久了', '好长时间了', '一直没人管', '一直没有人管', '没人管', '没有人管',
  '反映过好几次', '反映过多次', '打过电话', '多次反映', '再次反映', '又来反映', '重复反映',
  '希望', '请求', '要求', '麻烦', '帮忙', '谢谢', '感谢', '反映', '诉求', '问题', '情况', '处理', '解决', '市民', '来电',
  '一下', '现在', '目前', '这个', '那个', '我们', '你们', '他们', '非常', '特别', '真的', '实在',
] as const;
const FILLER_PATTERN = new RegExp([...FILLER, ...QUALIFIERS].sort((a, b) => b.length - a.length).join('|'), 'g');

/**
 * Bigrams left out: those holding a particle, which are about grammar, not
 * the problem (路灯的, 坏了), and those holding a digit or 号 (see below).
 */
const NOT_A_TERM = /[的了吗呢吧啊呀哦嘛着过也都还就又很太0-9号]/;

const ASCII_WORD = /[0-9a-z]/;

/** Characters too common in any complaint to say which problem it is. */
const COMMON_CHARS = new Set([...'的了吗呢吧啊呀哦嘛着过也都还就又很太是在有我你他她它们这那个一不没请给让被把从对和与及或上下里外前后边面时候点多少些能会要想说去来天好几已经到现人家里号楼单元栋']);

export interface ContentFeatures {
  /** Distinct bigrams, without the place, boilerplate, particles and digits. */
  readonly terms: readonly string[];
  /** Distinct characters, without the place's and the commonest. */
  readonly chars: ReadonlySet<string>;
  /** Problem kinds named (indexes into PROBLEM_KINDS). */
  readonly kinds: readonly number[];
}

/**
 * The features of an order's title and content (`addressKey`: the address
 * normalised, when the caller has it already). Digits are left out: in a
 * citizen's words they are door and building numbers (compared as the
 * address), dates and counts ("三四天" and "3、4天"); so are bigrams with 号.
 */
export function contentFeatures(title: string, content: string, address: string, addressKey = normalizeAddress(address)): ContentFeatures {
  const raw = `${title}。${content}`.normalize('NFKC');
  const runs = searchRuns(raw.replace(FILLER_PATTERN, '，'));
  const placeRuns = [...searchRuns(address), addressKey];
  const placeTerms = new Set(termsOf(placeRuns));
  const placeChars = new Set(placeRuns.join(''));
  const terms = termsOf(runs).filter((term) => !placeTerms.has(term) && !NOT_A_TERM.test(term));
  const chars = new Set<string>();
  for (const c of runs.join('')) if (!placeChars.has(c) && !COMMON_CHARS.has(c) && !ASCII_WORD.test(c)) chars.add(c);
  return { terms, chars, kinds: problemKinds(raw) };
}

/** Just the bigrams (see `contentFeatures`). */
export function contentTerms(title: string, content: string, address: string): string[] {
  return [...contentFeatures(title, content, address).terms];
}

/**
 * Similarity of two sets from their sizes and how many they share: the
 * mean of Dice (shared over the average size) and the overlap coefficient
 * (shared over the smaller set). Dice alone punishes a report that is much
 * shorter or longer than the first ("路灯又坏了" against a paragraph); overlap
 * alone calls any short text similar to any long one that contains it.
 */
export function termSimilarity(shared: number, sizeA: number, sizeB: number): number {
  if (shared === 0 || sizeA === 0 || sizeB === 0) return 0;
  const dice = (2 * shared) / (sizeA + sizeB);
  const overlap = shared / Math.min(sizeA, sizeB);
  return (dice + overlap) / 2;
}

/** Weights of the three views; the kinds count only when both texts name one. */
export const CONTENT_WEIGHTS = { terms: 0.5, chars: 0.2, kinds: 0.3 } as const;

/**
 * How alike two orders' words are, 0–1, from the bigrams they share (counted
 * by the caller, who has an inverted index) and their features. Without a
 * kind named on both sides the bigrams and characters share the whole weight.
 */
export function contentSimilarity(sharedTerms: number, a: ContentFeatures, b: ContentFeatures): number {
  const terms = termSimilarity(sharedTerms, a.terms.length, b.terms.length);
  let sharedChars = 0;
  const [small, large] = a.chars.size <= b.chars.size ? [a.chars, b.chars] : [b.chars, a.chars];
  for (const c of small) if (large.has(c)) sharedChars++;
  const chars = termSimilarity(sharedChars, a.chars.size, b.chars.size);
  const kinds = kindSimilarity(a.kinds, b.kinds);
  const w = CONTENT_WEIGHTS;
  if (kinds === null) return (w.terms * terms + w.chars * chars) / (w.terms + w.chars);
  return w.terms * terms + w.chars * chars + w.kinds * kinds;
}
