import type { Rng } from './prng';

/**
 * Synthetic personal data for demo households. Names are drawn from common surnames and
 * given-name characters (with Yi-style names in Liangshan and Uyghur-style names in
 * southern Xinjiang, as the demo counties' populations would have), so they look
 * plausible but are combinations, not records of real people. Phones start with 100,
 * a prefix no mainland mobile number uses.
 */

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万覃武戴莫孔向汤蒙罗杨陆'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红梅燕金凤建国志德福文才春花秋菊海林波辉鹏飞宇浩凯琴云莲珍琼贵顺发荣昌'];
const YI_SURNAMES = ['阿苦', '吉克', '沙马', '俄木', '曲比', '海来', '勒格', '阿尔', '吉伍', '马海', '阿约', '吉木'];
const YI_GIVEN = ['拉哈', '木呷', '阿依', '尔古', '日布', '伍各', '阿牛', '么木', '次尔', '阿果', '石者', '拉则'];
const UYGHUR_GIVEN = ['买买提', '艾力', '阿不都', '吐尔逊', '热合曼', '努尔', '艾合买提', '阿依古丽', '古丽', '帕提古丽', '热依拉', '祖力皮亚', '阿布拉', '吾斯曼', '玉素甫', '肉孜'];

/** A synthetic head-of-household name suited to the county. */
export function syntheticName(rng: Rng, countyCode: string): string {
  if (countyCode.startsWith('65')) {
    return `${rng.pick(UYGHUR_GIVEN)}·${rng.pick(UYGHUR_GIVEN)}`;
  }
  if (countyCode.startsWith('5134') && rng.chance(0.8)) {
    return rng.pick(YI_SURNAMES) + rng.pick(YI_GIVEN);
  }
  const given = rng.chance(0.7) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

/** A synthetic 11-digit phone number starting with 100 (never a real mobile number). */
export function syntheticPhone(rng: Rng): string {
  return `100${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}

/** Characters of the unified social credit code (GB 32100): digits and 21 letters, no I, O, S, V, Z. */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Registration authority and entity type (first two characters) by enterprise kind. */
const USCC_PREFIX: Record<string, string> = {
  COMPANY: '91',
  COOPERATIVE: '93',
  FAMILY_FARM: '92',
  INDIVIDUAL_BUSINESS: '92',
};

/**
 * A synthetic unified social credit code: type prefix + the county code + a 9-character
 * organisation code + check character, both check characters computed as GB 11714 and
 * GB 32100 define them. The organisation code always starts with `DM` ("demo") followed
 * by a serial number, a pattern the code-issuing authorities do not use, so the code
 * passes format checks while being recognisably synthetic.
 */
export function syntheticCreditCode(kind: string, countyCode: string, serial: number): string {
  if (serial < 0 || serial > 999_999) throw new RangeError('syntheticCreditCode: serial must be 0..999999');
  const body = `DM${String(serial).padStart(6, '0')}`;
  const orgCheck = organisationCheck(body);
  const first17 = `${USCC_PREFIX[kind] ?? '91'}${countyCode}${body}${orgCheck}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return first17 + USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** GB 11714 check character of an 8-character organisation code body. */
function organisationCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body[i];
    const value = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55;
    sum += value * ORG_WEIGHTS[i];
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}
