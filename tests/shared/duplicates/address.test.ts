import { describe, expect, it } from 'vitest';
import { chineseNumeral, compareAddresses, normalizeAddress, parseAddress } from '#shared/duplicates/address.ts';

const compare = (a: string, b: string) => compareAddresses(parseAddress(a), parseAddress(b));

describe('normalizeAddress', () => {
  it('drops punctuation, whitespace and the administrative prefix a caller may leave out', () => {
    expect(normalizeAddress('示范市 西工区，凯旋路18号 阳光家园')).toBe('凯旋路18号阳光家园');
    expect(normalizeAddress('凯旋路街道办事处凯旋路18号')).toBe('凯旋路18号');
    // A compound that ends in 区 is not a district.
    expect(normalizeAddress('阳光小区3号楼')).toBe('阳光小区3栋');
    expect(normalizeAddress('株洲路社区3号楼2单元')).toBe('株洲路社区3栋2单元');
  });

  it('folds full-width and Chinese numerals before numbering words, not in names', () => {
    expect(normalizeAddress('中州路２７号院')).toBe('中州路27号');
    expect(normalizeAddress('阳光家园五号楼二单元')).toBe('阳光家园5栋2单元');
    expect(normalizeAddress('彭西四巷二十六号院八号楼')).toBe('彭西四巷26号8栋');
    expect(chineseNumeral('一百零五')).toBe(105);
    expect(chineseNumeral('十')).toBe(10);
    expect(chineseNumeral('路')).toBeNull();
  });

  it('unifies 号/号院, 号楼/栋/幢/座, rooms and the 5-2-301 form, and drops floors', () => {
    for (const spelling of ['彭西四巷26号院8号楼', '彭西四巷26号8栋', '彭西四巷26号院8幢', '彭西四巷26号8座3楼']) {
      expect(normalizeAddress(spelling)).toBe('彭西四巷26号8栋');
    }
    expect(normalizeAddress('阳光家园12-3-502')).toBe('阳光家园12栋3单元502室');
    expect(normalizeAddress('阳光家园12号楼3-502')).toBe('阳光家园12栋3单元502室');
    expect(normalizeAddress('阳光家园12号楼3单元502')).toBe('阳光家园12栋3单元502室');
    expect(normalizeAddress('阳光家园12号楼3单元502户')).toBe('阳光家园12栋3单元502室');
  });

  it('writes a crossing the same way whatever the order of its roads and the joiner', () => {
    const canonical = normalizeAddress('凯旋路与株洲路交叉口');
    for (const spelling of ['株洲路与凯旋路交叉口', '凯旋路、株洲路路口', '株洲路凯旋路十字路口', '凯旋路和株洲路交叉路口附近', '西工区株洲路/凯旋路交口']) {
      expect(normalizeAddress(spelling)).toBe(canonical);
    }
    expect(parseAddress('株洲路凯旋路十字路口').crossing).toBe('凯旋路|株洲路');
  });

  it('takes out qualifiers, keeping their compass direction as the side', () => {
    expect(normalizeAddress('凯旋路18号附近')).toBe('凯旋路18号');
    expect(parseAddress('北海路与中州路交叉口西南角')).toMatchObject({ key: '中州路与北海路交叉口', side: '南西' });
    expect(parseAddress('幸福花园北门')).toMatchObject({ compound: '幸福花园', side: '北' });
  });
});

describe('parseAddress', () => {
  it('reads doors, compound, building, unit and room', () => {
    expect(parseAddress('西工区凯旋路18号阳光家园5号楼2单元301室')).toMatchObject({
      doors: [{ road: '凯旋路', number: 18 }],
      roads: ['凯旋路'],
      compound: '阳光家园',
      building: 5,
      unit: 2,
      room: 301,
    });
  });

  it('puts a bare number after a door on the same road, and reads a range as its two ends', () => {
    for (const spelling of ['西工区株洲路18号、20号', '株洲路18-20号', '株洲路18至20号']) {
      expect(parseAddress(spelling).doors).toEqual([
        { road: '株洲路', number: 18 },
        { road: '株洲路', number: 20 },
      ]);
    }
  });

  it('keys a road by the end of its name, so words before it do not matter', () => {
    expect(parseAddress('阳光家园旁凯旋路18号').doors).toEqual([{ road: '凯旋路', number: 18 }]);
    expect(parseAddress('王城大道66号').doors).toEqual([{ road: '王城大道', number: 66 }]);
  });
});

describe('compareAddresses', () => {
  it('is the same place however it is written', () => {
    expect(compare('西工区凯旋路与株洲路交叉口东侧', '株洲路、凯旋路路口')).toEqual({ level: 'same', basis: 'text' });
    expect(compare('西工区凯旋路18号阳光家园5号楼2单元', '阳光家园五栋二单元')).toEqual({ level: 'same', basis: 'compound' });
    expect(compare('凯旋路18号中州路27号院5号楼2单元', '中州路２７号院5-2-301')).toEqual({ level: 'same', basis: 'door' });
    expect(compare('西工区株洲路18号、20号', '株洲路18号')).toEqual({ level: 'same', basis: 'door' });
    expect(compare('凯旋路与北海路交叉口', '北海路凯旋路路口便利店门前')).toEqual({ level: 'same', basis: 'crossing' });
  });

  it('is near for a neighbouring door number, and on the same road for a road alone', () => {
    expect(compare('北海路65号', '北海路63号门口')).toEqual({ level: 'near', basis: 'door' });
    expect(compare('凯旋路与北海路交叉口', '凯旋路')).toEqual({ level: 'road', basis: 'road' });
  });

  it('is different when the words name another building, unit, room, compound, gate, corner, crossing or stretch of road', () => {
    expect(compare('康乐新村5号楼1单元', '康乐新村8号楼2单元')).toEqual({ level: 'different', basis: 'building' });
    expect(compare('锦华花园7号楼2单元', '锦华花园7号楼1单元')).toEqual({ level: 'different', basis: 'unit' });
    expect(compare('阳光家园12号楼3单元502室', '阳光家园12号楼3单元601室')).toEqual({ level: 'different', basis: 'room' });
    expect(compare('凯旋路18号阳光家园', '阳光花园')).toEqual({ level: 'different', basis: 'compound' });
    expect(compare('幸福花园北门', '幸福花园南门')).toEqual({ level: 'different', basis: 'side' });
    expect(compare('北海路与中州路交叉口西南角', '中州路北海路路口东北角')).toEqual({ level: 'different', basis: 'side' });
    expect(compare('株洲路与白马巷交叉口', '株洲路与凯旋路交叉口')).toEqual({ level: 'different', basis: 'crossing' });
    expect(compare('凯旋路88号', '凯旋路200号附近')).toEqual({ level: 'different', basis: 'door' });
  });

  it('has nothing to go on with an empty address or unrelated places', () => {
    expect(compare('', '凯旋路18号')).toEqual({ level: 'none', basis: null });
    expect(compare('阳光家园', '凯旋路88号')).toEqual({ level: 'none', basis: null });
  });
});
