// 亲情热线: parents book weekly calls with the child at the school's care room; teachers run the room
// (docs/DOMAIN.md, "Contact rhythm").
import { createRouter } from '../_server/router'
import { book, cancel, history, move, myBookings, overview, saveFreeHours, slots } from './booking'
import { acceptOffer, joinWaitlist, leaveWaitlist } from './waitlist'
import { removeStandingCall, setStandingCall } from './standing'
import { checkIn, daySheet, rooms, saveRoomSettings } from './room'
import { callsToConfirm, confirmDirectCall, recordDirectCall } from './direct'

export const main = createRouter({
  overview, slots, book, move, cancel, myBookings, history, saveFreeHours, joinWaitlist, leaveWaitlist, acceptOffer,
  setStandingCall, removeStandingCall, rooms, saveRoomSettings, daySheet, checkIn, recordDirectCall, callsToConfirm, confirmDirectCall
})
