import type { Inst } from './batches';
import { chinaTimestamp, day, HORIZON, iso, type Day } from './calendar';
import { next, recordVersion, type DemoContext } from './context';
import type { Rng } from './prng';

type Subject = 'RCB' | 'AGB' | 'GOVERNMENT';

/** Finding templates: who it concerns, the text, and the rectification steps. */
const TEMPLATES: ReadonlyArray<{ subject: Subject; text: string; steps: string[] }> = [
  {
    subject: 'RCB',
    text: '抽查发现部分扶贫小额信贷资金转入企业账户使用，存在“户贷企用”情形（演示）',
    steps: ['逐户核查涉及贷款并建立台账', '督促借款人按约定用途使用或提前收回', '完善贷后资金流向监测'],
  },
  {
    subject: 'RCB',
    text: '个别扶贫小额信贷单户金额或期限超出政策上限（演示）',
    steps: ['排查超限贷款清单', '对超限部分调整合同或转为一般农户贷款', '修订审批系统参数校验'],
  },
  {
    subject: 'AGB',
    text: '部分贷款逾期天数与五级分类结果不匹配，风险分类不审慎（演示）',
    steps: ['按逾期天数重新认定分类', '补提拨备', '对分类流程开展内部问责'],
  },
  {
    subject: 'RCB',
    text: '助农取款服务点长期无交易未及时清理或整改（演示）',
    steps: ['核查休眠服务点', '撤并或重新激活服务点'],
  },
  {
    subject: 'RCB',
    text: '扶贫再贷款资金使用台账不完整，带动建档立卡贫困户情况统计不准确（演示）',
    steps: ['补齐再贷款资金使用台账', '逐笔核对支持对象', '按月报送使用情况'],
  },
  {
    subject: 'GOVERNMENT',
    text: '县级风险补偿金到位不足，实际放大倍数超过约定上限（演示）',
    steps: ['制定补充资金到位计划', '完成补充注资', '与合作银行重新核定放大倍数'],
  },
];

/**
 * A few inspection, audit and evaluation findings per province, on county banks and
 * governments, with rectification steps to be verified by the finding institution:
 * some closed (every step verified), some in progress, some overdue.
 */
export function createFindings(ctx: DemoContext, rng: Rng): void {
  const byProvince = new Map<string, string[]>();
  for (const county of ctx.counties) {
    byProvince.set(county.provinceCode, [...(byProvince.get(county.provinceCode) ?? []), county.code]);
  }
  for (const [provinceCode, countyCodes] of byProvince) {
    const province = ctx.institutions.provinces.get(provinceCode)!;
    const count = rng.int(2, 4);
    for (let k = 0; k < count; k++) {
      const template = rng.pick(TEMPLATES);
      const countyCode = rng.pick(countyCodes);
      const banks = ctx.institutions.counties.get(countyCode)!;
      const target: Inst | null = template.subject === 'RCB' ? banks.rcb : template.subject === 'AGB' ? banks.agb : null;
      const [finder, source] = rng.weighted<[Inst, string]>([
        [[province.regulator, 'SUPERVISION'], 40],
        [[province.regulator, 'INSPECTION'], 30],
        [[province.centralBank, 'EVALUATION'], 20],
        [[province.regulator, 'AUDIT'], 10],
      ]);
      emitFinding(ctx, rng, finder, source, target, countyCode, template.text, template.steps);
    }
  }
}

function emitFinding(ctx: DemoContext, rng: Rng, finder: Inst, source: string, target: Inst | null, countyCode: string, text: string, steps: string[]): void {
  const foundOn = day('2019-03-01') + rng.int(0, 600);
  const dueOn = foundOn + rng.int(60, 180);
  const outcome = rng.weighted<'closed' | 'progress' | 'overdue'>([['closed', 45], ['progress', 30], ['overdue', 25]]);
  const id = ctx.writer.id('finding');
  const ref = `F-${finder.code}-${iso(foundOn).slice(0, 4)}-${String(next(ctx, `finding:${finder.code}`)).padStart(3, '0')}`;

  // Each step is reported done and then verified, one after another; what lies beyond the
  // end of 2020 has not happened yet.
  let cursor: Day = foundOn;
  let allVerified = true;
  let stopped = false;
  const stepRows = steps.map((description, i) => {
    stopped ||= outcome !== 'closed' && i >= (outcome === 'progress' ? 1 : 0) + rng.int(0, 1);
    const stop = stopped;
    cursor += rng.int(10, 50);
    const reported = !stop && cursor <= HORIZON ? cursor : null;
    const verifiedOn = reported !== null && (outcome === 'closed' || rng.chance(0.5)) ? reported + rng.int(3, 20) : null;
    const verified = verifiedOn !== null && verifiedOn <= HORIZON ? verifiedOn : null;
    if (verified === null) allVerified = false;
    if (verified !== null) cursor = verified;
    return { seq: i + 1, description, reported, verified };
  });
  const closedOn = allVerified ? stepRows[stepRows.length - 1].verified : null;
  const provenance = ctx.batches.uncounted(finder, 'findings', closedOn ?? foundOn);
  const terms = {
    finderCode: finder.code,
    ref,
    source,
    institutionCode: target?.code ?? null,
    countyCode,
    text,
    foundOn: iso(foundOn),
    dueOn: iso(dueOn),
    status: closedOn === null ? 'OPEN' : 'CLOSED',
    closedOn: closedOn === null ? null : iso(closedOn),
  };
  ctx.writer.add('finding', {
    id,
    ...provenance,
    ref,
    source,
    institution_id: target?.id ?? null,
    county_code: countyCode,
    text,
    found_on: terms.foundOn,
    due_on: terms.dueOn,
    status: terms.status,
    closed_on: terms.closedOn,
    version: 1,
  });
  for (const step of stepRows) {
    ctx.writer.add('rectification_step', {
      id: ctx.writer.id('rectification_step'),
      finding_id: id,
      county_code: countyCode,
      seq: step.seq,
      description: step.description,
      reported_done_on: step.reported === null ? null : iso(step.reported),
      evidence: step.reported === null ? null : `整改材料 ${ref}-${step.seq}`,
      verified_at: step.verified === null ? null : chinaTimestamp(step.verified, 15 * 60),
      verified_by_id: step.verified === null ? null : finder.id,
    });
  }
  recordVersion(ctx, 'FINDING', id, 1, countyCode, terms, provenance);
}
