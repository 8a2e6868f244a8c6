// 一人一档: the child registry, guardian consent, binding codes and the access log (docs/DOMAIN.md, "Children's personal information").
import { createRouter } from '../_server/router'
import { changeStatus, createChild, exportChildren, getChild, listChildren, options, reveal, updateChild } from './children'
import { createBindingCode, redeemBindingCode } from './binding'
import { consentForm, giveConsent } from './consent'
import { accessLog } from './log'
import { carryOutDeletion, deletionRequests, requestDeletion } from './deletion'

export const main = createRouter({
  options, createChild, updateChild, changeStatus, getChild, reveal, listChildren, exportChildren,
  createBindingCode, redeemBindingCode, consentForm, giveConsent, accessLog, requestDeletion, deletionRequests, carryOutDeletion
})
