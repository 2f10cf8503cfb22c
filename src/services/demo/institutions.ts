import type { ClientBase } from 'pg';
import type { Inst } from './batches';
import type { BulkWriter } from './bulk-writer';
import type { CountyInstitutions, Institutions, ProvinceInstitutions } from './context';
import { provinceShortName, type CountyRef } from './reference';

/** Marks every demo institution's name, so no one mistakes it for a real one. */
export const DEMO_SUFFIX = '（演示）';

/** Code of the hub operator, which carries hub-side batches (disasters). */
export const OPERATOR_CODE = 'TRIPOD';

const NATIONAL_HOME = '11';
const CREATED_AT = '2019-01-01T00:00:00+08:00';

/**
 * Creates the synthetic institutions: national head offices; per province a
 * central-bank branch, a regulator bureau, the agricultural credit guarantor and two
 * insurers' branches; per county a rural commercial bank, a branch of the national
 * agricultural bank, the county government and the guarantor's county branch. The hub
 * operator `TRIPOD` is reused when the database already has it.
 */
export async function createInstitutions(client: ClientBase, writer: BulkWriter, counties: readonly CountyRef[]): Promise<Institutions> {
  const existing = await client.query<{ id: string; name: string; kind: string; home_area_code: string }>(
    'select id, name, kind, home_area_code from institution where code = $1',
    [OPERATOR_CODE],
  );
  let operator: Inst;
  if (existing.rows.length > 0) {
    const row = existing.rows[0];
    if (row.kind !== 'OPERATOR') throw new Error(`Institution ${OPERATOR_CODE} exists but is not an OPERATOR`);
    operator = { id: Number(row.id), code: OPERATOR_CODE, name: row.name, kind: row.kind, homeArea: row.home_area_code };
  } else {
    operator = add(writer, OPERATOR_CODE, `Tripod 数据枢纽运营方${DEMO_SUFFIX}`, 'OPERATOR', NATIONAL_HOME, null);
  }

  const agbHead = add(writer, 'BANK-AGB-HQ', `华农银行股份有限公司${DEMO_SUFFIX}`, 'BANK', NATIONAL_HOME, null);
  const insurerHeads: [Inst, Inst] = [
    add(writer, 'INS-DH-HQ', `鼎禾财产保险股份有限公司${DEMO_SUFFIX}`, 'INSURER', NATIONAL_HOME, null),
    add(writer, 'INS-AK-HQ', `安垦农业保险股份有限公司${DEMO_SUFFIX}`, 'INSURER', NATIONAL_HOME, null),
  ];

  const provinces = new Map<string, ProvinceInstitutions>();
  for (const county of counties) {
    if (provinces.has(county.provinceCode)) continue;
    const p = county.provinceCode;
    const short = provinceShortName(p, county.provinceName);
    provinces.set(p, {
      centralBank: add(writer, `PBC-${p}`, `人民银行${short}分支机构${DEMO_SUFFIX}`, 'CENTRAL_BANK', p, null),
      regulator: add(writer, `REG-${p}`, `银行保险监管${short}监管局${DEMO_SUFFIX}`, 'REGULATOR', p, null),
      guarantor: add(writer, `GUAR-${p}`, `${short}农业信贷融资担保有限公司${DEMO_SUFFIX}`, 'GUARANTOR', p, null),
      insurers: [
        add(writer, `INS-DH-${p}`, `鼎禾财产保险股份有限公司${short}分公司${DEMO_SUFFIX}`, 'INSURER', p, insurerHeads[0].id),
        add(writer, `INS-AK-${p}`, `安垦农业保险股份有限公司${short}分公司${DEMO_SUFFIX}`, 'INSURER', p, insurerHeads[1].id),
      ],
    });
  }

  const countyInstitutions = new Map<string, CountyInstitutions>();
  for (const county of counties) {
    const c = county.code;
    const province = provinces.get(county.provinceCode)!;
    countyInstitutions.set(c, {
      rcb: add(writer, `BANK-RCB-${c}`, `${county.name}农村商业银行${DEMO_SUFFIX}`, 'BANK', c, null),
      agb: add(writer, `BANK-AGB-${c}`, `华农银行${county.name}支行${DEMO_SUFFIX}`, 'BANK', c, agbHead.id),
      government: add(writer, `GOV-${c}`, `${county.name}人民政府${DEMO_SUFFIX}`, 'GOVERNMENT', c, null),
      guarantor: add(writer, `GUAR-${c}`, `${province.guarantor.name.replace(DEMO_SUFFIX, '')}${county.name}办事处${DEMO_SUFFIX}`, 'GUARANTOR', c, province.guarantor.id),
    });
  }
  return { operator, provinces, counties: countyInstitutions };
}

function add(writer: BulkWriter, code: string, name: string, kind: string, homeArea: string, parentId: number | null): Inst {
  const id = writer.id('institution');
  writer.add('institution', {
    id,
    code,
    name,
    kind,
    home_area_code: homeArea,
    parent_id: parentId,
    valid_from: '2014-01-01',
    valid_to: null,
    created_at: CREATED_AT,
  });
  return { id, code, name, kind, homeArea };
}

/** Codes that only the demo generator creates: their presence means the demo is already loaded. */
export const DEMO_MARKER_CODES = ['BANK-AGB-HQ', 'INS-DH-HQ', 'INS-AK-HQ'];
