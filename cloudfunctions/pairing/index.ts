// 爱心结对: vetted volunteers matched one-to-one with children; a talk a month, a visit a quarter (docs/DOMAIN.md, "Contact rhythm").
import { createRouter } from '../_server/router'
import { areas, endPairing, logContact, myPairings, myProfile, offers, raiseConcern, register, respond } from './volunteer'
import { areaPairings, recordVetting, relaxSafeguard, runMatching, safeguarding, sendOffers, setSafeguarding, volunteers } from './admin'
import { callNumber, familyPairings } from './family'

export const main = createRouter({
  areas, register, myProfile, offers, respond, myPairings, logContact, raiseConcern, endPairing,
  volunteers, recordVetting, safeguarding, setSafeguarding, runMatching, sendOffers, areaPairings, relaxSafeguard,
  familyPairings, callNumber
})
