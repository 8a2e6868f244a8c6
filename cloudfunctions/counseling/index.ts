// 心理援助: triage, the crisis path that never waits, sessions with counsellors, confidential notes.
import { createRouter } from '../_server/router'
import { ask, bookSession, cancelSession, children, moveSession, myRequests, sessionSlots, setCallBack, tellMore } from './requests'
import { acknowledge, availability, caseView, closeCase, crisesWaiting, handOver, queue, readNotes, reportFromCase, roster, saveAvailability, saveRoster, writeNote } from './counselor'

export const main = createRouter({
  children, ask, setCallBack, tellMore, sessionSlots, bookSession, moveSession, cancelSession, myRequests,
  queue, caseView, crisesWaiting, acknowledge, reportFromCase, writeNote, readNotes, closeCase, handOver, roster, saveRoster, availability, saveAvailability
})
