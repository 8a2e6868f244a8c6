/** Session reminders, run by the scheduler: a day before and 30 minutes before, each sent once (conditional update). */
import { callTimeLabel } from '../../src/domain'
import { _, db, rows } from '../_server/cloud'
import { COLLECTIONS } from '../_server/collections'
import { send } from '../_server/messages'
import type { SessionDoc } from './requests'

const MIN = 60000

export async function sessionReminders (now: Date): Promise<number> {
  let sent = 0
  const windows = [
    { flag: 'reminders.day', within: 24 * 60 * MIN, notBefore: 60 * MIN, words: '明天有心理辅导' },
    { flag: 'reminders.halfHour', within: 30 * MIN, notBefore: 0, words: '半小时后心理辅导' }
  ] as const
  for (const w of windows) {
    const due = await rows<SessionDoc>(db.collection(COLLECTIONS.counselingSessions).where({ status: 'booked', start: _.gt(new Date(now.getTime() + w.notBefore)).and(_.lte(new Date(now.getTime() + w.within))), [w.flag]: false }).limit(100))
    for (const s of due) {
      const claimed = await db.collection(COLLECTIONS.counselingSessions).where({ _id: s._id, [w.flag]: false }).update({ data: { [w.flag]: true } }) as { stats: { updated: number } }
      if (claimed.stats.updated !== 1) continue
      await send({ touser: s.requesterOpenid, template: 'sessionReminder', page: 'packages/counseling/pages/mine/index', title: `${w.words}：${s.childName}`, time: callTimeLabel(new Date(s.start)), detail: `辅导员：${s.counselorName}` })
      sent++
    }
  }
  return sent
}
