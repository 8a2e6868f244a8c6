/*
 * The guardian's consent for a child's file (儿童个人信息网络保护规定 第九条, PIPL 第31条): purpose, what is kept,
 * how long, how to ask for deletion, and that refusing is possible and respected. The text is versioned: the file
 * records the version the guardian saw and when they answered.
 */
import { DATA_POLICY, type DataPolicy } from './retention'

/** The version of the text's wording; a deployment with another data policy adds its numbers to it. */
const CONSENT_WORDING = '2026-12-v2'

export function consentVersion (policy: DataPolicy): string {
  const same = policy.retentionYears === DATA_POLICY.retentionYears && policy.deletionWorkingDays === DATA_POLICY.deletionWorkingDays
  return same ? CONSENT_WORDING : `${CONSENT_WORDING}-r${policy.retentionYears}-d${policy.deletionWorkingDays}`
}

/** What stays on a refusal or a deletion, in the text's words. */
const MINIMUM_WORDS = '孩子的姓名、性别、出生日期、学校班级、所在村和困难类别'

/** The consent text, its retention and deletion promises stated from the data policy the system keeps. */
export function consentText (policy: DataPolicy) {
  return {
    version: consentVersion(policy),
    title: '孩子信息登记同意书',
    sections: [
      { heading: '为什么登记', body: '为了让孩子按时和在外打工的爸爸妈妈通话、在需要时得到心理帮助和法律援助、有爱心家长结对关心，县民政、教育等部门需要登记孩子的基本情况（一人一档）。' },
      { heading: '登记哪些信息', body: '孩子的姓名、性别、出生日期、学校班级、所在村，您和孩子父母的姓名、联系电话、务工城市；身份证号、困难类别（低保、残疾等）和特殊情况可以不填。' },
      { heading: '谁能看到', body: '只有孩子学校的老师、本村儿童主任、县里负责的部门和您绑定的家人能看到；结对的志愿者只能看到照顾孩子需要的少量信息。身份证号和电话号码平时都会遮住，每次查看都会留下记录。' },
      { heading: '谁来决定', body: '孩子的爸爸、妈妈和在家照顾孩子的监护人，任何一位都可以在手机上同意或撤回，以最后一次的决定为准。档案会记下是谁、什么时候决定的。' },
      { heading: '保存多久', body: `孩子不再是留守儿童以后（爸爸妈妈回家、孩子随爸爸妈妈进城，或孩子年满16周岁），信息再保存${policy.retentionYears}年，到期自动删除。已经提交的强制报告和法律援助案卷，按相关法律另行保存。` },
      { heading: '怎样删除', body: `您可以随时在首页“我的孩子”里点孩子的名字，申请删除。县民政局会在${policy.deletionWorkingDays}个工作日内处理，处理好会告诉您。删除后，按法律规定只留下${MINIMUM_WORDS}（留守儿童信息台账，困难类别用于减免费用）。` },
      { heading: '可以不同意', body: `您可以不同意。不同意时，我们只保留${MINIMUM_WORDS}，用于依法履行保护职责（如安全提醒、强制报告）和按规定减免费用，不再保存其他信息，也不会给孩子安排志愿者结对。` }
    ]
  }
}

export const CONSENT_TEXT = consentText(DATA_POLICY)
export const CONSENT_VERSION = CONSENT_TEXT.version

export const CONSENT_STATE_LABELS = { pending: '等待监护人同意', granted: '监护人已同意', refused: '监护人不同意（只保留最少信息）' } as const

/**
 * On a refusal, or a deletion, only these fields stay: the left-behind children's register the law requires
 * (PIPL 第13条第一款第三项; 未成年人保护法第43条), and the categories that give the child fee waivers, a right under the
 * plan that a refusal must not take away (docs/DOMAIN.md, "The plan").
 */
export const FIELDS_KEPT_ON_REFUSAL = ['name', 'gender', 'birthDate', 'schoolId', 'className', 'villageId', 'townshipId', 'countyId', 'cityId', 'status', 'categories'] as const
