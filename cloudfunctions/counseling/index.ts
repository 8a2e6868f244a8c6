// 心理援助: triage, the crisis path that never waits, sessions with counsellors, confidential notes.
import { createRouter } from '../_server/router'
import { ask, bookSession, cancelSession, children, moveSession, myRequests, sessionSlots } from './requests'
import { acknowledge, availability, closeCase, handOver, queue, readNotes, roster, saveAvailability, saveRoster, writeNote } from './counselor'

export const main = createRouter({
  children, ask, sessionSlots, bookSession, moveSession, cancelSession, myRequests,
  queue, acknowledge, writeNote, readNotes, closeCase, handOver, roster, saveRoster, availability, saveAvailability
})
