/**
 * The guardian's consent for a child's file (儿童个人信息网络保护规定 第九条, PIPL 第31条): purpose, what is kept,
 * how long, how to ask for deletion, and that refusing is possible and respected. The text is versioned: the file
 * records the version the guardian saw and when they answered.
 */
export const CONSENT_VERSION = '2026-11-v1'

export const CONSENT_TEXT = {
  version: CONSENT_VERSION,
  title: '孩子信息登记同意书',
  sections: [
    { heading: '为什么登记', body: '为了让孩子按时和在外打工的爸爸妈妈通话、在需要时得到心理帮助和法律援助、有爱心家长结对关心，县民政、教育等部门需要登记孩子的基本情况（一人一档）。' },
    { heading: '登记哪些信息', body: '孩子的姓名、性别、出生日期、学校班级、所在村，您和孩子父母的姓名、联系电话、务工城市；身份证号、困难类别（低保、残疾等）和特殊情况可以不填。' },
    { heading: '谁能看到', body: '只有孩子学校的老师、本村儿童主任、县里负责的部门和您绑定的家人能看到；结对的志愿者只能看到照顾孩子需要的少量信息。身份证号和电话号码平时都会遮住，每次查看都会留下记录。' },
    { heading: '保存多久', body: '孩子不再是留守儿童或年满18周岁后，信息保存2年后删除；法律另有规定的除外。' },
    { heading: '怎样删除', body: '您可以随时在“我的孩子”里申请删除，或告诉儿童主任，我们会在15个工作日内处理并告诉您结果。' },
    { heading: '可以不同意', body: '您可以不同意。不同意时，我们只保留孩子的姓名、学校和所在村，用于依法履行保护职责（如安全提醒、强制报告），不再保存其他信息，也不会给孩子安排志愿者结对。' }
  ]
} as const

export const CONSENT_STATE_LABELS = { pending: '等待监护人同意', granted: '监护人已同意', refused: '监护人不同意（只保留最少信息）' } as const

/** On refusal only these fields stay, for statutory protection duties (PIPL 第13条第一款第三项). */
export const FIELDS_KEPT_ON_REFUSAL = ['name', 'gender', 'birthDate', 'schoolId', 'className', 'villageId', 'townshipId', 'countyId', 'cityId', 'status'] as const
