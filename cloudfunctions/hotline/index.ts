// 亲情热线 (issue 4): parents book weekly calls with the child at the school's care room; teachers run the room.
import { createRouter } from '../_server/router'
import { book, cancel, history, move, overview, saveFreeHours, slots } from './family'
import { acceptOffer, joinWaitlist, leaveWaitlist, myBookings, removeStandingCall, setStandingCall } from './waitlist'
import { checkIn, daySheet, rooms, saveRoomSettings } from './room'

export const main = createRouter({
  overview, slots, book, move, cancel, myBookings, history, saveFreeHours, joinWaitlist, leaveWaitlist, acceptOffer,
  setStandingCall, removeStandingCall, rooms, saveRoomSettings, daySheet, checkIn
})
