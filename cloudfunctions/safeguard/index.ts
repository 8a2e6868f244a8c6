// 守护: mandatory reports that reach the police at once, hash-chained and append-only (docs/DOMAIN.md, "Minors Protection Law").
import { createRouter } from '../_server/router'
import { acknowledge, close, detail, linkChild, myReports, queue, recordAction, recordIntervention, report } from './reports'

export const main = createRouter({ report, myReports, queue, detail, acknowledge, recordAction, recordIntervention, linkChild, close })
