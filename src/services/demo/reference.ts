import type { ClientBase } from 'pg';
import { day, iso, type Day } from './calendar';
import { parseDecimal } from './money';

/** A village of a demo county, as loaded from `area`. */
export interface VillageRef {
  code: string;
  name: string;
  townshipCode: string;
  townshipName: string;
  /** Digits 10–12 in 200–399: a villagers' committee (the unit of village coverage). */
  villagersCommittee: boolean;
  /** Digits 10–12 in 001–199: a residents' committee (town seat). */
  residentsCommittee: boolean;
}

/** One of the 52 uncapped counties with its place in the hierarchy. */
export interface CountyRef {
  code: string;
  name: string;
  prefectureCode: string;
  provinceCode: string;
  provinceName: string;
  villages: VillageRef[];
}

/** The province-level short names used in demo institution names. */
const PROVINCE_SHORT: Record<string, string> = {
  '45': '广西',
  '51': '四川',
  '52': '贵州',
  '53': '云南',
  '62': '甘肃',
  '64': '宁夏',
  '65': '新疆',
};

export function provinceShortName(code: string, fallback: string): string {
  return PROVINCE_SHORT[code] ?? fallback.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)$/, '');
}

/**
 * Reads the 52 uncapped counties (from their UNCAPPED_2020 designations) with their
 * villages. Fails clearly when the reference data has not been loaded.
 */
export async function loadCounties(client: ClientBase): Promise<CountyRef[]> {
  const counties = await client.query<{ code: string; name: string; prefecture: string; province: string; province_name: string }>(
    `select c.code, c.name, c.parent_code as prefecture, p.code as province, p.name as province_name
       from area c
       join area pf on pf.code = c.parent_code
       join area p on p.code = pf.parent_code
      where c.level = 'COUNTY'
        and exists (select 1 from area_designation d where d.area_code = c.code and d.kind = 'UNCAPPED_2020')
      order by c.code`,
  );
  if (counties.rows.length === 0) {
    throw new Error('No UNCAPPED_2020 counties in area_designation: the reference data is not loaded (run prepareDatabase first)');
  }
  const villages = await client.query<{ code: string; name: string; township: string; township_name: string }>(
    `select v.code, v.name, t.code as township, t.name as township_name
       from area v join area t on t.code = v.parent_code
      where v.level = 'VILLAGE' and left(v.code, 6) = any($1::text[])
      order by v.code`,
    [counties.rows.map((c) => c.code)],
  );
  const byCounty = new Map<string, VillageRef[]>();
  for (const v of villages.rows) {
    const suffix = Number(v.code.slice(9, 12));
    const list = byCounty.get(v.code.slice(0, 6)) ?? [];
    list.push({
      code: v.code,
      name: v.name,
      townshipCode: v.township,
      townshipName: v.township_name,
      villagersCommittee: suffix >= 200 && suffix <= 399,
      residentsCommittee: suffix >= 1 && suffix <= 199,
    });
    byCounty.set(v.code.slice(0, 6), list);
  }
  return counties.rows.map((c) => {
    const list = byCounty.get(c.code) ?? [];
    if (!list.some((v) => v.villagersCommittee)) {
      throw new Error(`County ${c.code} has no villagers' committees in area: the reference villages are not loaded`);
    }
    return { code: c.code, name: c.name, prefectureCode: c.prefecture, provinceCode: c.province, provinceName: c.province_name, villages: list };
  });
}

interface ParameterRow {
  key: string;
  value: string;
  validFrom: Day;
  validTo: Day | null;
}

/**
 * The policy parameters the generator needs, read from `policy_parameter` and looked up
 * by the date in question (valid on [valid_from, valid_to)). Values come back in the
 * generator's integer units: fen, months, days, ppm.
 */
export class PolicyParameters {
  private constructor(private readonly rows: ParameterRow[]) {}

  static async load(client: ClientBase): Promise<PolicyParameters> {
    const result = await client.query<{ key: string; value: string; valid_from: string; valid_to: string | null }>(
      `select key, value::text, to_char(valid_from, 'YYYY-MM-DD') as valid_from, to_char(valid_to, 'YYYY-MM-DD') as valid_to
         from policy_parameter order by key, valid_from`,
    );
    const params = new PolicyParameters(
      result.rows.map((r) => ({ key: r.key, value: r.value, validFrom: day(r.valid_from), validTo: r.valid_to === null ? null : day(r.valid_to) })),
    );
    for (const key of REQUIRED) params.raw(key, day('2020-06-30'));
    return params;
  }

  /** The value in force on `on`, as text. */
  raw(key: string, on: Day): string {
    const row = this.rows.find((r) => r.key === key && r.validFrom <= on && (r.validTo === null || on < r.validTo));
    if (row === undefined) throw new Error(`policy_parameter ${key} has no value valid on ${iso(on)}: load the default policy parameters first`);
    return row.value;
  }

  /** Micro-credit amount cap in fen. */
  microcreditMaxFen(on: Day): number {
    return parseDecimal(this.raw('microcredit.max_amount', on), 2);
  }

  /** Micro-credit term cap in months. */
  microcreditMaxTermMonths(on: Day): number {
    return parseDecimal(this.raw('microcredit.max_term_months', on), 0);
  }

  /** Eligible borrower ages [min, max], years. */
  microcreditAges(on: Day): [number, number] {
    return [parseDecimal(this.raw('microcredit.min_borrower_age', on), 0), parseDecimal(this.raw('microcredit.max_borrower_age', on), 0)];
  }

  /** Guarantee fee cap in ppm of the guaranteed amount per year. */
  guaranteeMaxFeePpm(on: Day): number {
    return parseDecimal(this.raw('guarantee.max_fee_rate', on), 6);
  }

  /** Days allowed between claim agreement and payment. */
  claimPaymentDays(on: Day): number {
    return parseDecimal(this.raw('insurance.claim_payment_days', on), 0);
  }

  /** Most rollovers of a re-lending draw. */
  relendingMaxRollovers(on: Day): number {
    return parseDecimal(this.raw('relending.max_rollovers', on), 0);
  }

  /** Overdue-day floors of the five classes on a date: the first overdue day of each class below NORMAL. */
  classificationFloors(on: Day): ClassificationFloors {
    let floors = this.floorCache.get(on);
    if (floors === undefined) {
      floors = this.readFloors(on);
      this.floorCache.set(on, floors);
    }
    return floors;
  }

  private readonly floorCache = new Map<Day, ClassificationFloors>();

  private readFloors(on: Day): ClassificationFloors {
    return {
      specialMention: parseDecimal(this.raw('classification.floor_days.special_mention', on), 0),
      substandard: parseDecimal(this.raw('classification.floor_days.substandard', on), 0),
      doubtful: parseDecimal(this.raw('classification.floor_days.doubtful', on), 0),
      loss: parseDecimal(this.raw('classification.floor_days.loss', on), 0),
    };
  }
}

export interface ClassificationFloors {
  specialMention: number;
  substandard: number;
  doubtful: number;
  loss: number;
}

const REQUIRED = [
  'microcredit.max_amount',
  'microcredit.max_term_months',
  'microcredit.min_borrower_age',
  'microcredit.max_borrower_age',
  'guarantee.max_fee_rate',
  'classification.floor_days.special_mention',
  'classification.floor_days.substandard',
  'classification.floor_days.doubtful',
  'classification.floor_days.loss',
  'insurance.claim_payment_days',
  'relending.max_rollovers',
];
